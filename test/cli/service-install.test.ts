/**
 * `sentinel service install | uninstall | status` with a temp HOME and a recorder in place of launchctl/systemctl
 * (on a real Mac: `launchctl bootout gui/<uid>/<label>` then `launchctl bootstrap gui/<uid> <plist>`; on Linux:
 * `systemctl --user daemon-reload`, `enable`, `restart`). Idempotent both ways; refused when the menu-bar app
 * starts at login over the same data dir; the built CLI with --no-load end to end.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import plist from 'plist';
import { afterEach, describe, expect, it } from 'vitest';
import {
  installService,
  ServiceRefusal,
  serviceStatus,
  uninstallService,
  type CommandResult,
  type ServiceEnv,
} from '../../src-main/cli/service-install';
import { ConfigError } from '../../src-main/core/config/load';
import { dbPath } from '../../src-main/core/config/paths';
import { SettingsStore } from '../../src-main/core/sentinel/settings-store';
import { openDb } from '../../src-main/core/store/db';
import { tempDir } from '../helpers/tmp';
import { cli, CLI_MISSING, isolatedEnv } from '../helpers/cli-harness';

describe('service install', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  function setup(platform: NodeJS.Platform, answer: (argv: string[]) => Partial<CommandResult> = () => ({})) {
    const t = tempDir('sentinel-service-');
    cleanups.push(t.cleanup);
    const ran: string[][] = [];
    const env: ServiceEnv = {
      platform,
      home: t.dir,
      uid: 501,
      env: { PATH: '/opt/homebrew/bin:/usr/bin:/bin' },
      program: ['/usr/local/bin/node', '/opt/sentinel/dist/main/cli.cjs'],
      run: async (argv) => {
        ran.push(argv);
        return { code: 0, stdout: '', stderr: '', ...answer(argv) };
      },
      load: true,
    };
    const dataDir = join(t.dir, 'data');
    const configPath = join(t.dir, 'sentinel.yaml');
    writeFileSync(
      configPath,
      'processes:\n  - { name: slow, command: /bin/sleep, args: ["60"], stop: { timeout: 40s } }\n',
    );
    return { env, ran, target: { dataDir, configPath, isDefaultDataDir: true }, home: t.dir };
  }

  it('macOS: writes the LaunchAgent, loads it, and does both again without change', async () => {
    const { env, ran, target, home } = setup('darwin');
    const first = await installService(target, env);
    const file = join(home, 'Library', 'LaunchAgents', 'app.sentinel.run.plist');
    expect(first).toMatchObject({ name: 'app.sentinel.run', file, written: true });
    const parsed = plist.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(parsed).toMatchObject({
      Label: 'app.sentinel.run',
      ProgramArguments: [
        '/usr/local/bin/node',
        '/opt/sentinel/dist/main/cli.cjs',
        'run',
        '--data-dir',
        target.dataDir,
        '--config',
        target.configPath,
      ],
      KeepAlive: true,
      RunAtLoad: true,
      ExitTimeOut: 45, // the config's longest stop grace (40 s) + 5 s
      StandardErrorPath: join(target.dataDir, 'logs', 'service.err.log'),
      EnvironmentVariables: {
        SENTINEL_DATA_DIR: target.dataDir,
        SENTINEL_CONFIG: target.configPath,
        PATH: '/opt/homebrew/bin:/usr/bin:/bin',
      },
    });
    expect(existsSync(join(target.dataDir, 'logs'))).toBe(true);
    expect(ran).toEqual([
      ['launchctl', 'bootout', 'gui/501/app.sentinel.run'],
      ['launchctl', 'bootstrap', 'gui/501', file],
    ]);
    const again = await installService(target, env);
    expect(again.written).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe(plist.build(parsed as plist.PlistObject));

    ran.length = 0;
    expect(await uninstallService(target, env)).toMatchObject({ removed: true, file });
    expect(existsSync(file)).toBe(false);
    expect(ran).toEqual([['launchctl', 'bootout', 'gui/501/app.sentinel.run']]);
    ran.length = 0;
    expect(await uninstallService(target, env)).toMatchObject({ removed: false, commands: [] });
    expect(ran).toEqual([]);
  });

  it('Linux: writes the user unit under XDG_CONFIG_HOME, enables and restarts it', async () => {
    const { env, ran, target, home } = setup('linux');
    env.env.XDG_CONFIG_HOME = join(home, 'xdg');
    const r = await installService({ ...target, isDefaultDataDir: false }, env);
    expect(r.name).toMatch(/^sentinel-[0-9a-f]{8}$/);
    expect(r.file).toBe(join(home, 'xdg', 'systemd', 'user', `${r.name}.service`));
    expect(readFileSync(r.file, 'utf8')).toContain(
      `ExecStart=/usr/local/bin/node /opt/sentinel/dist/main/cli.cjs run --data-dir ${target.dataDir}`,
    );
    expect(ran).toEqual([
      ['systemctl', '--user', 'daemon-reload'],
      ['systemctl', '--user', 'enable', `${r.name}.service`],
      ['systemctl', '--user', 'restart', `${r.name}.service`],
    ]);
    expect(r.notes.join('\n')).toContain('loginctl enable-linger');
    ran.length = 0;
    await uninstallService({ ...target, isDefaultDataDir: false }, env);
    expect(ran).toEqual([
      ['systemctl', '--user', 'disable', '--now', `${r.name}.service`],
      ['systemctl', '--user', 'daemon-reload'],
    ]);
    expect(existsSync(r.file)).toBe(false);
  });

  it('refuses when the menu-bar app starts at login over the same data dir', async () => {
    const { env, ran, target, home } = setup('darwin');
    const db = openDb(dbPath(target.dataDir));
    new SettingsStore(db, () => ({ start_at_login: false, notifications: true, dry_run: false })).set({
      start_at_login: true,
    });
    db.close();
    await expect(installService(target, env)).rejects.toThrow(ServiceRefusal);
    await expect(installService(target, env)).rejects.toThrow(/menu-bar app starts at login and supervises/);
    expect(existsSync(join(home, 'Library', 'LaunchAgents', 'app.sentinel.run.plist'))).toBe(false);
    expect(ran).toEqual([]);
  });

  it('refuses a config that would not start, and reports a loader that fails', async () => {
    const { env, target } = setup('darwin', (argv) =>
      argv[1] === 'bootstrap' ? { code: 5, stderr: 'Bootstrap failed: 5: Input/output error\n' } : {},
    );
    writeFileSync(target.configPath, 'processes: [{ name: x }]\n');
    await expect(installService(target, env)).rejects.toThrow(ConfigError);
    writeFileSync(target.configPath, 'processes: []\n');
    await expect(installService(target, env)).rejects.toThrow('`launchctl bootstrap gui/501 ');
    await expect(installService(target, env)).rejects.toThrow('Bootstrap failed: 5: Input/output error');
  });

  it('status: what launchctl print says, or "not loaded"', async () => {
    let loaded = true;
    const { env, target } = setup('darwin', (argv) =>
      argv[1] === 'print'
        ? loaded
          ? { stdout: '\tstate = running\n\tpid = 777\n' }
          : { code: 113, stderr: 'Could not find service' }
        : {},
    );
    await installService(target, env);
    expect(await serviceStatus(target, env)).toMatchObject({ installed: true, state: 'running', pid: 777 });
    loaded = false;
    expect(await serviceStatus(target, env)).toMatchObject({ installed: true, state: 'not loaded', pid: null });
  });

  it.skipIf(CLI_MISSING)('the built CLI: install, again, status, uninstall, again (--no-load, temp HOME)', async () => {
    const t = tempDir('sentinel-service-cli-');
    cleanups.push(t.cleanup);
    const env = isolatedEnv(t.dir);
    const first = await cli(['service', 'install', '--no-load'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const unit =
      process.platform === 'darwin'
        ? join(t.dir, 'Library/LaunchAgents/app.sentinel.run.plist')
        : join(t.dir, '.config/systemd/user/sentinel.service');
    expect(first.stdout).toContain(`wrote ${unit}`);
    expect(first.stdout).toContain('not loaded (--no-load)');
    expect((await cli(['service', 'install', '--no-load'], env)).stdout).toContain(`unchanged ${unit}`);
    const status = await cli(['service', 'status', '--no-load', '--json'], env);
    expect(JSON.parse(status.stdout)).toMatchObject({ installed: true, file: unit, state: null });
    expect((await cli(['service', 'uninstall', '--no-load'], env)).stdout).toContain(`removed ${unit}`);
    const again = await cli(['service', 'uninstall', '--no-load'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('not installed');
  });
});
