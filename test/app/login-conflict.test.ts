/**
 * One supervisor per data dir, from both sides: the app refuses "Start at login" while `sentinel service install`
 * keeps a supervisor of the same data dir (its LaunchAgent exists), and install refuses while the app's setting is on
 * (test/cli/service-install.test.ts).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Dispatch } from '../../src-main/api/dispatch';
import { serviceConflict, withLoginItem, type LoginItem } from '../../src-main/app/login-item';
import { installService } from '../../src-main/cli/service-install';
import { tempDir } from '../helpers/tmp';

describe('start at login vs. sentinel service', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  it('refuses start_at_login while a LaunchAgent supervises the same data dir; other settings pass', async () => {
    const t = tempDir('sentinel-login-');
    cleanups.push(t.cleanup);
    const dataDir = join(t.dir, 'data');
    const configPath = join(t.dir, 'sentinel.yaml');
    writeFileSync(configPath, 'processes: []\n');
    const conflict = serviceConflict({ platform: 'darwin', home: t.dir, dataDir, env: {}, exists: existsSync });
    const calls: unknown[] = [];
    const dispatch: Dispatch = async (channel, input) => {
      calls.push([channel, input]);
      return {
        ok: true,
        result: { start_at_login: false, login_item_status: 'unsupported', notifications: true, dry_run: false },
      };
    };
    const set: boolean[] = [];
    const item: LoginItem = {
      get: () => ({ openAtLogin: false, status: 'not-registered' }),
      set: (on) => set.push(on),
    };
    const wrapped = withLoginItem(dispatch, item, conflict);

    expect(conflict()).toBeNull();
    expect((await wrapped('settings.set', { start_at_login: true })).ok).toBe(true);

    const env = {
      platform: 'darwin' as const,
      home: t.dir,
      uid: 501,
      env: {},
      program: ['/usr/local/bin/node', '/opt/cli.js'],
      run: async () => ({ code: 0, stdout: '', stderr: '' }),
      load: false,
    };
    const installed = await installService({ dataDir, configPath, isDefaultDataDir: false }, env);
    expect(conflict()).toContain(installed.file);
    calls.length = 0;
    set.length = 0;
    expect(await wrapped('settings.set', { start_at_login: true })).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        message: expect.stringContaining('sentinel service uninstall'),
        field: 'start_at_login',
      },
    });
    expect(calls).toEqual([]);
    expect(set).toEqual([]);
    // Turning it off, and other settings, still work.
    expect((await wrapped('settings.set', { start_at_login: false })).ok).toBe(true);
    expect((await wrapped('settings.set', { notifications: false })).ok).toBe(true);
  });
});
