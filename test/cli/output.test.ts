/**
 * What a person sees from the built CLI against a real `sentinel run` daemon: colour on a terminal (a real pty
 * through script(1)) and none with NO_COLOR, --no-color or a pipe; local times; CPU and memory in status; log
 * labels aligned; failures within the terminal's width; `--since 7d`; stats by hour and weekday.
 */
import { stripVTControlCharacters } from 'node:util';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Snapshot } from '../../src-main/shared/contract';
import { openDb } from '../../src-main/core/store/db';
import { FailuresRepo } from '../../src-main/core/store/failures-repo';
import { run, type Ran } from '../../bench/lib/exec';
import { killMarked, MARK_VAR } from '../../bench/lib/procfs';
import { tempDir } from '../helpers/tmp';
import { waitFor } from '../helpers/wait';
import { cli, CLI, CLI_MISSING, Daemon, isolatedEnv } from '../helpers/cli-harness';

const mark = `cli-output-test-${process.pid}`;
const ESC = '\x1b[';
const strip = (s: string) => stripVTControlCharacters(s);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const config = {
  processes: [
    {
      name: 'web',
      command: '/bin/sh',
      args: ['-c', 'i=0; while true; do i=$((i+1)); echo "hello $i"; echo "warn $i" >&2; sleep 0.2; done'],
      env: { [MARK_VAR]: mark },
    },
    {
      name: 'a-worker-with-a-longer-name',
      command: '/bin/sh',
      args: ['-c', 'while true; do echo tick; sleep 0.3; done'],
      env: { [MARK_VAR]: mark },
    },
  ],
};

const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The CLI with stdout on a real terminal (script(1) makes a pty), optionally `cols` wide. Output has \r\n. */
async function onTerminal(args: string[], env: NodeJS.ProcessEnv, cols?: number): Promise<Ran> {
  const cmd = [process.execPath, CLI, ...args].map(sq).join(' ');
  const inner = cols === undefined ? cmd : `stty cols ${cols}; ${cmd}`;
  const r =
    process.platform === 'darwin'
      ? await run('script', ['-q', '/dev/null', '/bin/sh', '-c', inner], { env, timeoutMs: 30_000 })
      : await run('script', ['-qec', inner, '/dev/null'], { env, timeoutMs: 30_000 });
  return { ...r, stdout: r.stdout.replace(/\r\n/g, '\n') };
}

/** "Dec 02 14:03:05" for an instant in a zone with a fixed offset (no DST), computed independently of the CLI. */
function inZone(at: number, offsetMs: number): string {
  const d = new Date(at + offsetMs);
  const two = (n: number) => String(n).padStart(2, '0');
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  return `${month} ${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

describe.skipIf(CLI_MISSING)('sentinel CLI output', () => {
  const tmp = tempDir('sentinel-cli-output-');
  const dataDir = join(tmp.dir, 'data');
  const configFile = join(tmp.dir, 'sentinel.yaml');
  // No colour settings inherited from whoever runs the tests; each test says what it wants.
  const env = isolatedEnv(join(tmp.dir, 'home'));
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  env.TERM = 'xterm-256color';
  const withEnv = (extra: NodeJS.ProcessEnv) => ({ ...env, ...extra });
  const loc = ['--data-dir', dataDir];
  let daemon: Daemon;
  // Seeded failures: a recent one with a long name and reason, and one ten days old.
  const recentAt = Date.now() - 2 * HOUR;
  const oldAt = Date.now() - 10 * DAY;
  const longService = 'a-service-whose-name-is-far-longer-than-any-column';
  let recentId = 0;

  beforeAll(async () => {
    writeFileSync(configFile, stringify(config));
    daemon = new Daemon(['--config', configFile, ...loc], env);
    await daemon.ready();
    const db = openDb(join(dataDir, 'sentinel.db'));
    try {
      const repo = new FailuresRepo(db);
      repo.insert({
        service: 'web',
        kind: 'down',
        started_at: oldAt,
        detected_by: 'web:http',
        reason: 'web: connection refused',
        checks: [],
        upstream_down: false,
        timeline: [],
      });
      recentId = repo.insert({
        service: longService,
        kind: 'unreachable',
        started_at: recentAt,
        detected_by: `${longService}:http`,
        reason: `${longService}: GET http://127.0.0.1:9/health failed: ${'connect ECONNREFUSED '.repeat(6)}`,
        checks: [],
        upstream_down: false,
        timeline: [{ at: recentAt, event: 'detected' }],
      }).id;
    } finally {
      db.close();
    }
    // Both running (past start_secs) with CPU and memory sampled: what the status tests below read.
    await waitFor(
      async () => {
        const r = await cli(['status', '--json', ...loc], env);
        const s = JSON.parse(r.stdout) as Snapshot;
        return s.processes.every((p) => p.state === 'running' && p.cpu !== null && p.memory !== null);
      },
      { what: 'both processes running, with CPU and memory in status', timeout: 20_000 },
    );
    await waitFor(async () => (await cli(['logs', '--lines', '50', ...loc], env)).stdout.includes('a-worker'), {
      what: 'both processes to log',
    });
  });
  afterAll(async () => {
    if (daemon.child.exitCode === null) await daemon.kill('SIGTERM');
    killMarked(mark);
    tmp.cleanup();
  });

  it('status on a terminal: colour, CPU and memory per process, the overall colour and its rule', async () => {
    const r = await onTerminal(['status', ...loc], env);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain(ESC);
    const text = strip(r.stdout);
    expect(text).toMatch(/^overall: (green|yellow|red) — .+\n {2}rule: .+$/m);
    expect(text).toMatch(/^NAME\s+STATE\s+HEALTH\s+PID\s+CPU\s+MEMORY\s+UPTIME\s+RESTARTS$/m);
    expect(text).toMatch(/^web\s+running\s+\S+\s+\d+\s+\d+(\.\d)?%\s+\d+(\.\d)?(B|KB|MB)\s+\S+\s+\d+$/m);
    expect(r.stdout).toContain(`${ESC}32mrunning${ESC}39m`);
  });

  it.each([
    ['NO_COLOR=1', ['status'], { NO_COLOR: '1' }],
    ['--no-color', ['status', '--no-color'], {}],
    ['--no-color before the command', ['--no-color', 'logs', '--lines', '5'], {}],
    ['--no-color over FORCE_COLOR', ['failures', '--no-color'], { FORCE_COLOR: '1' }],
  ])('no colour on a terminal with %s', async (_what, args, extra) => {
    const r = await onTerminal([...args, ...loc], withEnv(extra));
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(20);
    expect(r.stdout).not.toContain(ESC);
  });

  it('status --json prints the snapshot as the contract reads it: its keys in its order, nothing more', async () => {
    // The quick path prints the daemon's reply without zod, so the daemon must build it in the contract's shape.
    const r = await cli(['status', '--json', ...loc], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${JSON.stringify(Snapshot.parse(JSON.parse(r.stdout)), null, 2)}\n`);
  });

  it('no colour into a pipe, unless FORCE_COLOR or --color asks for it', async () => {
    const piped = await cli(['status', ...loc], env);
    expect(piped.code).toBe(0);
    expect(piped.stdout).not.toContain(ESC);
    for (const [args, extra] of [
      [['status'], { FORCE_COLOR: '1' }],
      [['status', '--color'], {}],
    ] as const) {
      const forced = await cli([...args, ...loc], withEnv(extra));
      expect(forced.stdout).toContain(ESC);
      expect(strip(forced.stdout)).toMatch(/^web\s+running/m);
    }
  });

  it('logs: local time to the second, labels padded so the bars line up, each process in its colour', async () => {
    // Both processes in one tail: web prints twice as often, so on a loaded machine (CI on 2 cores) the worker's
    // shell can be starved long enough for 40 lines of web alone; the tail is read again until it holds both.
    const both = (out: string) =>
      / web\/err +\| warn \d+$/m.test(out) && / a-worker-with-a-longer-name \| tick$/m.test(out);
    let plain = await cli(['logs', '--lines', '40', ...loc], withEnv({ TZ: 'UTC' }));
    await waitFor(
      async () => {
        if (!both(plain.stdout)) plain = await cli(['logs', '--lines', '40', ...loc], withEnv({ TZ: 'UTC' }));
        return both(plain.stdout);
      },
      { what: `a tail with lines of both processes (last: ${plain.stdout})`, timeout: 15_000 },
    );
    expect(plain.code, plain.stderr).toBe(0);
    const lines = plain.stdout.trimEnd().split('\n');
    for (const l of lines) expect(l).toMatch(/^[A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} \S+ +\| /);
    expect(new Set(lines.map((l) => l.indexOf(' | '))).size).toBe(1);

    const painted = await onTerminal(['logs', '--lines', '40', ...loc], env);
    expect(painted.stdout).toContain(ESC);
    const colourOf = (name: string) => new RegExp(`(\\x1b\\[\\d+m)${name}\\x1b\\[39m`).exec(painted.stdout)?.[1];
    expect(colourOf('web')).toBeDefined();
    expect(colourOf('a-worker-with-a-longer-name')).toBeDefined();
    expect(painted.stdout).toContain(`/${ESC}31merr${ESC}39m`); // stderr is marked, its text is not painted
    expect(painted.stdout).not.toContain(`${ESC}31mwarn`);
  });

  it('times are the local time of the zone the CLI runs in, not UTC', async () => {
    // The failure seeded at a known instant, listed in UTC and in India (+05:30, no daylight saving).
    for (const [tz, offset] of [
      ['UTC', 0],
      ['Asia/Kolkata', 5.5 * HOUR],
    ] as const) {
      const r = await cli(['failures', '--since', '1d', ...loc], withEnv({ TZ: tz }));
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`${recentId}  ${inZone(recentAt, offset)}  `);
      expect(r.stdout).not.toMatch(/\d{4}-\d\d-\d\dT|\.\d{3}Z/);
    }
  });

  it('failures: every line within 100 columns, ids to drill into with `sentinel report`', async () => {
    const r = await cli(['failures', ...loc], env);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(100);
    expect(lines[0]).toMatch(/^\s*ID\s+STARTED\s+SERVICE\s+KIND\s+OUTCOME\s+REASON$/);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(new RegExp(`^ *${recentId}  .* a-service-whose…  unreachable  open  .+…$`));
    expect(lines.at(-1)).toBe('2 of 2 · details: sentinel report <ID>');
    const report = await cli(['report', String(recentId), ...loc], env);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toContain(longService);
  });

  it('failures on a 60-column terminal fit 60 columns', async () => {
    const r = await onTerminal(['failures', ...loc], env, 60);
    expect(r.code, r.stdout).toBe(0);
    const lines = strip(r.stdout).trimEnd().split('\n');
    expect(lines.length).toBe(4);
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(60);
  });

  it('failures --since 7d lists only the last seven days; a bad duration names the option', async () => {
    const week = await cli(['failures', '--since', '7d', ...loc], env);
    expect(week.code, week.stderr).toBe(0);
    expect(week.stdout).toMatch(/^1 of 1 · /m);
    expect(week.stdout).toContain('unreachable');
    expect(week.stdout).not.toContain('connection refused');
    const all = await cli(['failures', '--since', '30d', ...loc], env);
    expect(all.stdout).toMatch(/^2 of 2 · /m);
    // (More bad values are in the unit table of failuresQuery.)
    const bad = await cli(['failures', '--since', '7x', ...loc], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('--since: expected a duration like "30m", "24h" or "7d", got "7x"\n');
  });

  it('stats: counts by hour and by weekday, in the local time of the daemon', async () => {
    const r = await cli(['stats', '--since', '7d', ...loc], env);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^failures: 1 since [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2}$/);
    const hours = lines.indexOf('by hour (local time)');
    const days = lines.indexOf('by weekday');
    expect(lines[hours + 1]).toBe(` ${Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')).join(' ')}`);
    const sum = (line: string) =>
      line
        .trim()
        .split(/\s+/)
        .map(Number)
        .reduce((a, b) => a + b, 0);
    expect(sum(lines[hours + 3]!)).toBe(1);
    // The bar stands over the hour the failure started in (the daemon and this test share a time zone).
    const hour = new Date(recentAt).getHours();
    expect(lines[hours + 2]!.length).toBe(3 * (hour + 1));
    expect(lines[days + 1]).toBe(' Sun Mon Tue Wed Thu Fri Sat');
    expect(lines[days + 2]!.length).toBe(4 * (new Date(recentAt).getDay() + 1));
    expect(sum(lines[days + 3]!)).toBe(1);
  });
});
