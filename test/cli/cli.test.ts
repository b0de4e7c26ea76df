/** The built CLI without a daemon: validation, usage errors and the "not running" answer. */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_YAML } from '../../src-main/core/config/default-config';
import { loadConfigText } from '../../src-main/core/config/load';
import { tempDir } from '../helpers/tmp';
import { cli, CLI_MISSING, isolatedEnv } from '../helpers/cli-harness';

describe.skipIf(CLI_MISSING)('sentinel CLI', () => {
  const tmp = tempDir('sentinel-cli-');
  const home = join(tmp.dir, 'home');
  const env = isolatedEnv(home);
  afterAll(() => tmp.cleanup());
  const file = (name: string, text: string) => {
    const f = join(tmp.dir, name);
    writeFileSync(f, text);
    return f;
  };

  it('config validate: exit 2, one line per problem, nothing written', async () => {
    const bad = file(
      'bad.yaml',
      'processes:\n  - name: web\n    command: node\n    restart:\n      delay: soon\n      max_retries: -1\n    colour: red\n',
    );
    const before = readdirSync(tmp.dir).sort();
    const r = await cli(['config', 'validate', bad], env);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n').sort()).toEqual([
      `${bad}: processes[0].colour: unknown key "colour" (line 7)`,
      `${bad}: processes[0].restart.delay: expected a duration like "500ms", "30s", "5m", "1h30m", got "soon" (line 5)`,
      `${bad}: processes[0].restart.max_retries: expected number to be >=0, got -1 (line 6)`,
    ]);
    expect(readdirSync(tmp.dir).sort()).toEqual(before);
    expect(existsSync(home)).toBe(false);
  });

  it('config validate: the default config is valid (exit 0)', async () => {
    const r = await cli(['config', 'validate', file('default.yaml', DEFAULT_CONFIG_YAML)], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/valid \(0 processes, 1 services\)/);
  });

  it('config validate: a missing file is exit 2', async () => {
    const r = await cli(['config', 'validate', join(tmp.dir, 'nope.yaml')], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read the file/);
  });

  it('run with an invalid config: exit 2, one line per problem, no data dir created', async () => {
    const bad = file('run-bad.yaml', 'processes:\n  - name: web\n    command: node\n    stop: { signal: SIGNOPE }\n');
    const dataDir = join(tmp.dir, 'run-data');
    const r = await cli(['run', '--config', bad, '--data-dir', dataDir], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `invalid config ${bad}:\nprocesses[0].stop.signal: expected one of SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGKILL, SIGUSR1, SIGUSR2 (or without SIG), got "SIGNOPE" (line 4)\n`,
    );
    expect(existsSync(dataDir)).toBe(false);
  });

  it('import supervisord: valid Sentinel YAML on stdout, nothing written', async () => {
    const conf = file(
      'supervisord.conf',
      '[program:web]\ncommand=/usr/bin/node server.js\nautorestart=true\nstartretries=7\n',
    );
    const r = await cli(['import', 'supervisord', conf], env);
    expect(r.code, r.stderr).toBe(0);
    const imported = loadConfigText(r.stdout, 'imported');
    expect(imported.processes[0]).toMatchObject({
      name: 'web',
      command: '/usr/bin/node',
      args: ['server.js'],
      restart: { policy: 'always', max_retries: 7 },
    });
    expect(existsSync(home)).toBe(false);
  });

  it('import with an unknown format is a usage error', async () => {
    const r = await cli(['import', 'systemd', 'x.service'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/expected a format of pm2, supervisord, launchd, got "systemd"/);
  });

  it.each([
    [['status'], 'status'],
    [['logs', 'web', '-f'], 'logs'],
    [['stop', 'web'], 'stop'],
    [['failures'], 'failures'],
    [['config', 'export'], 'config export'],
  ])('%j without a daemon: one line, exit 1', async (args) => {
    const dataDir = join(tmp.dir, 'no-daemon');
    const r = await cli([...args, '--data-dir', dataDir], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`sentinel is not running (no socket at ${join(dataDir, 'sentinel.sock')})\n`);
    expect(existsSync(dataDir)).toBe(false);
  });

  it.each([
    [['status', '--bogus'], /unknown option '--bogus'/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['stop'], /expected exactly one of NAME, --group G or --all/],
    [['logs', '--lines', 'x'], /--lines: expected a whole number/],
    [['report', 'abc'], /ID: expected a positive whole number, got "abc"/],
    [['failures', '--since', '7x'], /^--since: expected a duration like "30m", "24h" or "7d", got "7x"\n$/],
    [['stats', '--since', 'soon'], /^--since: expected a duration like "30m", "24h" or "7d", got "soon"\n$/],
    [['failures', '--limit', '0'], /^--limit: expected a whole number from 1 to 500, got "0"\n$/],
    [['config', 'validate'], /missing required argument 'file'/],
    [['schedules', 'pause', 'x'], /expected `schedules`, `schedules enable NAME` or `schedules disable NAME`/],
    [['schedules', 'enable'], /expected `schedules`, `schedules enable NAME`/],
  ])('%j is a usage error: exit 2', async (args, message) => {
    const r = await cli(args, env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
