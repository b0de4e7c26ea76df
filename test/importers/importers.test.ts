import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigText } from '../../src-main/core/config/load';
import type { Config } from '../../src-main/core/config/schema';
import {
  importLaunchd,
  importLaunchdMany,
  importPm2,
  importSupervisord,
  toYaml,
  type ImportResult,
} from '../../src-main/core/importers';

const FIX = join(__dirname, '../fixtures/import');
const read = (f: string) => readFileSync(join(FIX, f), 'utf8');

/** The YAML an import writes must load with the real loader (ConfigSchema) — warnings included as comments. */
function roundTrip(r: ImportResult, source: string): Config {
  const yaml = toYaml(r.config, r.warnings, source);
  for (const w of r.warnings) expect(yaml).toContain(`#  - ${w}`);
  return loadConfigText(yaml, source);
}

describe('importPm2 (ecosystem.config.js)', () => {
  const r = importPm2(read('ecosystem.config.js'), 'ecosystem.config.js');
  const cfg = roundTrip(r, 'ecosystem.config.js');
  const [api, worker, nightly] = cfg.processes;

  it('maps script, interpreter and args', () => {
    expect(api).toMatchObject({
      name: 'api',
      command: 'node',
      args: ['--max-old-space-size=512', './dist/server.js', '--port', '8080', '--host', '127.0.0.1'],
      cwd: '/srv/api',
    });
    expect(worker).toMatchObject({
      name: 'worker',
      command: '/usr/bin/python3',
      args: ['worker.py', '--queue', 'emails'],
    });
    expect(nightly).toMatchObject({ name: 'nightly-report', command: '/usr/local/bin/report.sh', args: [] });
    expect(api!.env).toEqual({ NODE_ENV: 'production', PORT: '8080', API_TOKEN: 'not-a-real-token' });
  });

  it('maps restart behaviour, limits, stop and cron_restart', () => {
    expect(api!.restart).toMatchObject({
      policy: 'always',
      delay: 100,
      backoff: 1.5,
      max_delay: 15_000,
      max_retries: 10,
      start_secs: 10_000,
      reset_after: 10_000,
    });
    expect(api!.limits).toMatchObject({ memory: 300 * 1024 * 1024, action: 'restart' });
    expect(api!.stop.timeout).toBe(5000);
    expect(worker!.restart).toMatchObject({
      policy: 'on-failure',
      delay: 2000,
      backoff: 1,
      exit_codes: { success: [0, 3] },
    });
    expect(nightly!.restart.policy).toBe('never');
    expect(nightly!.schedule).toMatchObject({ cron: '0 3 * * *', overlap: 'restart' });
  });

  it('warns about everything it cannot map', () => {
    const expected = [
      /api: instances: 2/,
      /api: exec_mode cluster/,
      /api: env_staging not imported/,
      /api: out_file not imported/,
      /worker: watch/,
      /worker: ignore_watch/,
      /nightly-report: renamed from "nightly report"/,
      /nightly-report: cron_restart/,
    ];
    for (const re of expected)
      expect(
        r.warnings.some((w) => re.test(w)),
        String(re),
      ).toBe(true);
    expect(r.warnings).toHaveLength(expected.length);
  });

  it('reads ecosystem JSON', () => {
    const j = roundTrip(importPm2(read('ecosystem.json'), 'ecosystem.json'), 'ecosystem.json');
    expect(j.processes[0]).toMatchObject({
      name: 'static',
      command: 'node',
      args: ['serve.js', '-p', '5000'],
      restart: { delay: 500, max_retries: 3 },
    });
  });

  it.each([
    [
      'module.exports = { apps: [{ name: "x", script: require("os").hostname() }] }',
      /cannot evaluate: require is not defined.*without require/,
    ],
    ['module.exports = { apps: [{ script: process.env.X }] }', /process is not defined/],
    ['while (true) {}', /cannot evaluate: Script execution timed out/],
    ['module.exports = { apps: [{ name: "x", script: eval("1") }] }', /Code generation from strings disallowed/],
    [
      'module.exports = { apps: [{ name: "x", script: module.constructor.constructor("return process")().pid }] }',
      /cannot evaluate/,
    ],
    ['module.exports = { nope: 1 }', /expected `apps: \[...\]`/],
    ['module.exports = { apps: [{ name: "x" }] }', /apps\[0\]: expected `script`/],
  ])('refuses %s', (text, re) => expect(() => importPm2(text, 'eco.config.js')).toThrow(re));
});

describe('importSupervisord', () => {
  const r = importSupervisord(read('supervisord.conf'), {
    env: { HOME: '/home/me' },
    file: '/etc/supervisor/supervisord.conf',
  });
  const cfg = roundTrip(r, 'supervisord.conf');
  const byName = Object.fromEntries(cfg.processes.map((p) => [p.name, p]));

  it('maps command, directory, environment (with interpolation) and groups', () => {
    expect(byName.web).toMatchObject({
      command: '/usr/bin/gunicorn',
      args: ['--bind', '127.0.0.1:8000', '--workers', '2', 'app:wsgi'],
      cwd: '/srv/web',
      group: 'backend',
    });
    expect(byName.web!.env).toEqual({ PYTHONPATH: '/srv/web', DB_PASSWORD: 's3cr;et', HOME_DIR: '/home/me' });
    expect(byName.queue).toMatchObject({
      command: 'python3',
      args: ['-m', 'worker', '--concurrency', '4'],
      group: 'backend',
    });
    expect(byName.cleanup).toMatchObject({ command: '/usr/local/bin/cleanup', args: ['--dry-run'], autostart: false });
    expect(byName.cleanup!.group).toBeUndefined();
  });

  it('maps autorestart, exit codes, start and stop settings', () => {
    expect(byName.web!.restart).toMatchObject({
      policy: 'on-failure',
      exit_codes: { success: [0, 2] },
      start_secs: 5000,
      max_retries: 4,
    });
    expect(byName.web!.stop).toEqual({ signal: 'SIGINT', timeout: 20_000 });
    expect(byName.queue!.restart.policy).toBe('always');
    expect(byName.cleanup!.restart.policy).toBe('never');
    expect(byName.cleanup!.stop.signal).toBe('SIGTERM');
  });

  it('warns about what it cannot map', () => {
    const expected = [
      /\[unix_http_server\]/,
      /\[supervisord\]/,
      /\[rpcinterface:supervisor\]/,
      /\[supervisorctl\]/,
      /web: stopasgroup\/killasgroup not needed/,
      /web: user=www-data not imported/,
      /web: stdout_logfile/,
      /web: redirect_stderr/,
      /queue: numprocs=2/,
      /queue: process_name/,
      /queue: priority=10/,
      /\[group:backend\] priority not imported/,
    ];
    for (const re of expected)
      expect(
        r.warnings.some((w) => re.test(w)),
        String(re),
      ).toBe(true);
    expect(r.warnings).toHaveLength(expected.length);
  });

  it('names the section and field of bad input', () => {
    expect(() => importSupervisord('[program:x]\ncommand=a\nstartsecs=soon\n')).toThrow(
      /\[program:x\] \(line 1\): startsecs: expected a number of seconds/,
    );
    expect(() => importSupervisord('[program:x]\nautostart=true\n')).toThrow(/expected command=/);
    expect(() => importSupervisord('just words\n')).toThrow(/line 1: expected "\[section\]"/);
    expect(importSupervisord('[program:x]\ncommand=a %(ENV_NOPE)s\n', { env: {} }).warnings).toEqual([
      'x: %(ENV_NOPE)s in command is not known here; left as written',
    ]);
    const sh = importSupervisord('[program:x]\ncommand=bash -c "run" && echo done\n');
    expect(sh.config.processes![0]).toMatchObject({ shell: true, command: 'bash -c "run" && echo done' });
  });
});

describe('importLaunchd', () => {
  it('maps a KeepAlive agent', () => {
    const r = importLaunchd(read('com.example.sync.plist'), 'com.example.sync.plist');
    const [p] = roundTrip(r, 'com.example.sync.plist').processes;
    expect(p).toMatchObject({
      name: 'com.example.sync',
      command: '/usr/local/bin/sync-agent',
      args: ['--config', '/Users/me/.sync.toml'],
      cwd: '/Users/me',
      autostart: true,
    });
    expect(p!.env).toEqual({ SYNC_TOKEN: 'not-a-real-token', LOG_LEVEL: 'info' });
    expect(p!.restart).toMatchObject({ policy: 'on-failure', delay: 30_000, backoff: 1 });
    expect(p!.stop.timeout).toBe(15_000);
    expect(r.warnings).toEqual([
      'com.example.sync: KeepAlive.NetworkState not supported (no Sentinel equivalent)',
      'com.example.sync: StandardOutPath not imported (Sentinel captures output itself)',
      'com.example.sync: UserName not imported (Sentinel runs processes as the logged-in user)',
    ]);
  });

  it('maps a calendar job to cron with catch-up like launchd', () => {
    const r = importLaunchd(read('com.example.backup.plist'), 'com.example.backup.plist');
    const [p] = roundTrip(r, 'com.example.backup.plist').processes;
    expect(p).toMatchObject({
      name: 'com.example.backup',
      command: '/usr/local/bin/backup',
      args: ['--incremental'],
      autostart: false,
    });
    expect(p!.restart.policy).toBe('never');
    expect(p!.schedule).toMatchObject({ cron: '15 3 * * 0,1', catch_up: 'last', overlap: 'skip' });
    expect(r.warnings).toEqual(['com.example.backup: LowPriorityIO not imported (no Sentinel equivalent)']);
  });

  it('combines several plists and refuses broken ones', () => {
    const many = importLaunchdMany(
      ['com.example.sync.plist', 'com.example.backup.plist'].map((f) => ({ xml: read(f), source: f })),
    );
    expect(roundTrip(many, 'launchd').processes.map((p) => p.name)).toEqual(['com.example.sync', 'com.example.backup']);
    expect(() =>
      importLaunchd('<plist><dict><key>Program</key><string>/bin/x</string></dict></plist>', 'x.plist'),
    ).toThrow(/x\.plist: expected Label/);
    expect(() => importLaunchd('not xml', 'y.plist')).toThrow(/y\.plist: not a property list/);
  });
});
