/** Sentinel in-process: handlers over a real supervisor, store and config file in a temp dir. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Snapshot, type EventName } from '../../../src-main/shared/contract';
import { createDispatcher } from '../../../src-main/api/dispatch';
import { DEFAULT_CONFIG_YAML } from '../../../src-main/core/config/default-config';
import { ConfigError } from '../../../src-main/core/config/load';
import { Sentinel } from '../../../src-main/core/sentinel';
import { silentLogger, type Logger } from '../../../src-main/core/util/logger';
import { tempDir } from '../../helpers/tmp';
import { waitFor } from '../../helpers/wait';

const SLEEPER = (name: string) =>
  `  - { name: ${name}, command: /bin/sh, args: [-c, "exec sleep 600"], group: sleepers, restart: { start_secs: 0 } }\n`;

describe('Sentinel', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function open(yaml: string | null, logger: Logger = silentLogger) {
    const t = tempDir('sentinel-core-');
    cleanups.push(t.cleanup);
    const configPath = join(t.dir, 'config', 'sentinel.yaml');
    if (yaml !== null) {
      writeFileSync(join(t.dir, 'sentinel.yaml'), yaml);
    }
    const sentinel = await Sentinel.open({
      configPath: yaml === null ? configPath : join(t.dir, 'sentinel.yaml'),
      dataDir: join(t.dir, 'data'),
      logger,
    });
    cleanups.push(() => sentinel.close());
    const dispatch = createDispatcher(sentinel.handlers);
    return { sentinel, dispatch, dir: t.dir, configPath: sentinel.configPath! };
  }

  it('writes the default config when there is no file, and runs it', async () => {
    const { sentinel, configPath, dispatch } = await open(null);
    expect(readFileSync(configPath, 'utf8')).toBe(DEFAULT_CONFIG_YAML);
    await sentinel.start();
    expect(await dispatch('config.get', {})).toEqual({
      ok: true,
      result: { yaml: DEFAULT_CONFIG_YAML, path: configPath },
    });
    const status = await dispatch('status.get', {});
    expect(status.ok).toBe(true);
    // Whatever the upstream checks find on this machine, the answer has the contract's shape and no processes.
    expect(Snapshot.parse((status as { result: unknown }).result).processes).toEqual([]);
  });

  it('refuses a bad config before opening anything', async () => {
    const t = tempDir('sentinel-core-');
    cleanups.push(t.cleanup);
    writeFileSync(join(t.dir, 'bad.yaml'), 'processes: [{ name: x }]\n');
    await expect(Sentinel.open({ configPath: join(t.dir, 'bad.yaml'), dataDir: join(t.dir, 'data') })).rejects.toThrow(
      ConfigError,
    );
    expect(existsSync(join(t.dir, 'data'))).toBe(false);
  });

  it('starts, stops and restarts by name, group and all; unknown names are not_found', async () => {
    const { sentinel, dispatch } = await open(`processes:\n${SLEEPER('a')}${SLEEPER('b')}`);
    await sentinel.start();
    const running = async () =>
      ((await dispatch('processes.list', {})) as { result: { name: string; state: string }[] }).result
        .filter((p) => p.state === 'running')
        .map((p) => p.name)
        .sort();
    await waitFor(async () => (await running()).length === 2, { what: 'both running' });
    expect(await dispatch('processes.stop', { name: 'a' })).toEqual({ ok: true, result: { affected: ['a'] } });
    await waitFor(async () => (await running()).join() === 'b', { what: 'a stopped' });
    expect(await dispatch('processes.start', { group: 'sleepers' })).toEqual({
      ok: true,
      result: { affected: ['a', 'b'] },
    });
    await waitFor(async () => (await running()).length === 2, { what: 'both running again' });
    expect(await dispatch('processes.stop', { all: true })).toEqual({ ok: true, result: { affected: ['a', 'b'] } });
    expect(await dispatch('processes.stop', { name: 'zzz' })).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'no process named "zzz"', field: 'name' },
    });
    expect(await dispatch('processes.start', { group: 'none' })).toMatchObject({
      ok: false,
      error: { code: 'not_found', field: 'group' },
    });
  });

  it('config.apply: dry run reports the diff and changes nothing; apply saves the file and adds the process', async () => {
    const { sentinel, dispatch, configPath } = await open(`processes:\n${SLEEPER('a')}`);
    await sentinel.start();
    const next = `processes:\n${SLEEPER('a')}${SLEEPER('c')}`;
    expect(await dispatch('config.apply', { yaml: next, dry_run: true })).toEqual({
      ok: true,
      result: { added: ['c'], removed: [], changed: [], unchanged: ['a'] },
    });
    expect(sentinel.supervisor.names()).toEqual(['a']);
    expect(await dispatch('config.apply', { yaml: next })).toMatchObject({ ok: true, result: { added: ['c'] } });
    expect(sentinel.supervisor.names().sort()).toEqual(['a', 'c']);
    await waitFor(() => sentinel.supervisor.info('c').state === 'running', { what: 'the added process to run' });
    expect(readFileSync(configPath, 'utf8')).toBe(next);
    const bad = await dispatch('config.apply', {
      yaml: 'processes: [{ name: a, command: x, restart: { delay: soon } }]',
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request', field: 'processes[0].restart.delay' } });
    expect((bad as { error: { message: string } }).error.message).toMatch(/expected a duration/);
  });

  it('hot reload: a valid edit of the file is applied, an invalid one refused while the config stays', async () => {
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (m) => void warnings.push(m), child: () => logger };
    const { sentinel, dispatch, configPath } = await open(`processes:\n${SLEEPER('a')}`, logger);
    await sentinel.start();
    writeFileSync(configPath, `processes:\n${SLEEPER('b')}`);
    await waitFor(() => sentinel.supervisor.names().join() === 'b', { what: 'the edit to apply', timeout: 10_000 });
    await waitFor(() => sentinel.supervisor.info('b').state === 'running', { what: 'b to run' });
    writeFileSync(configPath, 'processes: [{ name: b }]\n');
    // The refused edit changes nothing: config.get still returns the last valid text.
    const valid = `processes:\n${SLEEPER('b')}`;
    await waitFor(() => warnings.includes('config edit refused; the running config stays'), {
      what: 'the refusal',
      timeout: 10_000,
    });
    expect(await dispatch('config.get', {})).toMatchObject({ ok: true, result: { yaml: valid } });
    expect(sentinel.supervisor.names()).toEqual(['b']);
  });

  it('settings: stored in the db, pushed as an event, survive a reopen', async () => {
    const { sentinel, dispatch } = await open('settings: { notifications: false }\n');
    const events: Array<[EventName, unknown]> = [];
    sentinel.subscribe((e, p) => events.push([e, p]));
    expect(await dispatch('settings.get', {})).toEqual({
      ok: true,
      result: {
        start_at_login: false,
        login_item_status: 'unsupported',
        notifications: false,
        dry_run: false,
        // Read-only figures from the config file, shown (not edited) by the settings window.
        log_retention: { max_lines: 2_000_000, max_bytes: 200 * 1024 * 1024 },
        api_port: 0,
      },
    });
    const set = await dispatch('settings.set', { dry_run: true, start_at_login: true });
    expect(set).toMatchObject({ ok: true, result: { dry_run: true, start_at_login: true, notifications: false } });
    expect(events).toEqual([['settings.changed', (set as { result: unknown }).result]]);
    expect(await dispatch('status.get', {})).toMatchObject({ ok: true, result: { dry_run: true } });
    await sentinel.close();
    const again = await Sentinel.open({
      configPath: sentinel.configPath,
      dataDir: sentinel.dataDir,
      logger: silentLogger,
    });
    cleanups.push(() => again.close());
    expect(await createDispatcher(again.handlers)('settings.get', {})).toMatchObject({
      ok: true,
      result: { dry_run: true, start_at_login: true },
    });
  });

  it('logs.query refuses an invalid regular expression as bad_request, not internal', async () => {
    const { dispatch } = await open('processes: []\n');
    expect(await dispatch('logs.query', { grep: '(' })).toMatchObject({
      ok: false,
      error: { code: 'bad_request', field: 'grep' },
    });
  });

  it('with nothing recorded, failures, stats and schedules answer empty', async () => {
    const { dispatch } = await open('processes: []\n');
    expect(await dispatch('failures.list', {})).toEqual({ ok: true, result: { items: [], total: 0 } });
    expect(await dispatch('failures.get', { id: 3 })).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: 'no failure #3' },
    });
    expect(await dispatch('stats.get', {})).toMatchObject({ ok: true, result: { total: 0, mtbf_ms: null } });
    expect(await dispatch('schedules.list', {})).toEqual({ ok: true, result: [] });
    expect(await dispatch('checks.run', {})).toMatchObject({ ok: true, result: { status: 'green' } });
    expect(await dispatch('services.restart', { name: 'nobody' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });
});
