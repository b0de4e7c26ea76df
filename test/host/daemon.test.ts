/**
 * `sentinel run` end to end: the built CLI as a real daemon with real children, driven through the real CLI
 * over its Unix socket. One daemon per describe block, since starting one costs most of the time here.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcessInfo, Snapshot } from '../../src-main/shared/contract';
import { exited } from '../../bench/lib/exec';
import { killMarked, MARK_VAR, markedProcesses } from '../../bench/lib/procfs';
import { RawSocket } from '../reliability/support/ndjson';
import { tempDir } from '../helpers/tmp';
import { alive, waitFor } from '../helpers/wait';
import { apiInfo, cli, CLI, CLI_MISSING, Daemon, isolatedEnv } from '../helpers/cli-harness';

const mark = `daemon-test-${process.pid}`;
const env = { [MARK_VAR]: mark };

const config = {
  processes: [
    // Fails a second after every start; three failures in the window make it fatal.
    {
      name: 'crasher',
      command: '/bin/sh',
      args: ['-c', 'echo crashing; sleep 1; exit 1'],
      env,
      restart: { delay: '100ms', backoff: 1, max_retries: 2, start_secs: '500ms' },
    },
    {
      name: 'runner',
      command: '/bin/sh',
      args: ['-c', 'i=0; while true; do i=$((i+1)); echo "tick $i"; echo "tock $i"; sleep 0.2; done'],
      env,
    },
    { name: 'once', command: '/bin/sh', args: ['-c', 'echo done; exit 0'], env, restart: { start_secs: 0 } },
  ],
};

function livePids(name: string): number[] {
  // sh's argv[0] is "/bin/sh"; which process is which is told by the script in its command line.
  const script = config.processes.find((p) => p.name === name)!.args[1]!;
  return markedProcesses(mark)
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').includes(script);
      } catch {
        return false;
      }
    })
    .map((p) => p.pid);
}

describe.skipIf(CLI_MISSING)('sentinel run', () => {
  const tmp = tempDir('sentinel-daemon-');
  const home = join(tmp.dir, 'home');
  const dataDir = join(tmp.dir, 'data');
  const configFile = join(tmp.dir, 'sentinel.yaml');
  const e = isolatedEnv(home);
  const client = (...args: string[]) => cli([...args, '--data-dir', dataDir], e);
  const status = async (): Promise<Snapshot> => {
    const r = await client('status', '--json');
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Snapshot;
  };
  const proc = async (name: string): Promise<ProcessInfo> => (await status()).processes.find((p) => p.name === name)!;
  let daemon: Daemon;

  beforeAll(async () => {
    writeFileSync(configFile, stringify(config));
    daemon = new Daemon(['--config', configFile, '--data-dir', dataDir], e);
    expect(await daemon.ready()).toMatch(/^sentinel running \(pid \d+\): /);
  });
  afterAll(async () => {
    if (daemon.child.exitCode === null) await daemon.kill('SIGKILL');
    killMarked(mark);
    tmp.cleanup();
  });

  it('runs the config: a long runner, a clean exit, a crasher that goes fatal', async () => {
    await waitFor(async () => (await proc('crasher')).state === 'fatal', {
      timeout: 20_000,
      what: 'crasher to be fatal',
    });
    const s = await status();
    const byName = Object.fromEntries(s.processes.map((p) => [p.name, p]));
    expect(byName.runner).toMatchObject({ state: 'running', restarts: 0 });
    expect(alive(byName.runner!.pid!)).toBe(true);
    expect(byName.once).toMatchObject({ state: 'exited', restarts: 0, last_exit_code: 0 });
    expect(byName.crasher).toMatchObject({ state: 'fatal', last_exit_code: 1, pid: null });
    expect(byName.crasher!.restarts).toBe(2);
  });

  it('serves the same API over HTTP with the token from api.json, and /metrics', async () => {
    const { url, token } = apiInfo(dataDir);
    // The line a person reads: where the windows are, with the per-run token.
    expect(daemon.output).toContain(`: windows at ${url}?token=${token}`);
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const res = await fetch(new URL('api/processes.list', url), { method: 'POST', headers: auth, body: '{}' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { result?: ProcessInfo[] } | ProcessInfo[];
    const list = Array.isArray(body) ? body : body.result!;
    expect(list.map((p) => p.name).sort()).toEqual(['crasher', 'once', 'runner']);
    expect((await fetch(new URL('api/processes.list', url), { method: 'POST', body: '{}' })).status).toBe(401);
    const metrics = await fetch(new URL('metrics', url), { headers: { authorization: `Bearer ${token}` } });
    expect(await metrics.text()).toMatch(/^sentinel_\w+/m);
  });

  it('refuses a second daemon on the same data dir', async () => {
    const second = await cli(['run', '--config', configFile, '--data-dir', dataDir], e);
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(
      `sentinel could not start: another sentinel (pid ${daemon.child.pid}) is already running on ${dataDir}; stop it first, or use another --data-dir\n`,
    );
    expect(livePids('runner')).toHaveLength(1);
  });

  it('prints a readable table without --json', async () => {
    const r = await client('status');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^NAME\s+STATE\s+HEALTH\s+PID\s+CPU\s+MEMORY\s+UPTIME\s+RESTARTS$/m);
    expect(r.stdout).toMatch(/^runner\s+running\s+green\s+\d+\s+\S+\s+\S+\s+\S+\s+0$/m);
  });

  it('keeps the socket and api.json private (0600)', () => {
    expect(statSync(join(dataDir, 'sentinel.sock')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'api.json')).mode & 0o777).toBe(0o600);
  });

  it('filters logs with --grep', async () => {
    await waitFor(
      async () => (await client('logs', 'runner', '--grep', 'tick')).stdout.split('\n').filter(Boolean).length >= 3,
      { what: 'tick lines' },
    );
    const r = await client('logs', 'runner', '--grep', '^tick', '--lines', '3');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/ runner \| tick \d+$/);
  });

  it('follows logs with -f, filtered, until interrupted', async () => {
    const follower = spawn(
      process.execPath,
      [CLI, 'logs', 'runner', '-f', '--grep', '^tock', '--lines', '1', '--data-dir', dataDir],
      { env: e, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    follower.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    try {
      // One line of history, then at least three streamed ones (the runner prints every 200 ms).
      await waitFor(() => out.split('\n').filter(Boolean).length >= 4, { what: 'followed lines', timeout: 15_000 });
    } finally {
      follower.kill('SIGINT');
      await exited(follower);
    }
    expect(follower.exitCode).toBe(0);
    const lines = out.trim().split('\n');
    for (const line of lines) expect(line).toMatch(/ runner \| tock \d+$/);
    const numbers = lines.map((l) => Number(/tock (\d+)$/.exec(l)![1]));
    // Consecutive: nothing lost or repeated between the queried history and the stream.
    expect(numbers).toEqual(numbers.map((_, i) => numbers[0]! + i));
  });

  it('refuses a bad regular expression with exit 2', async () => {
    const r = await client('logs', 'runner', '--grep', '(');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^--grep: expected a regular expression/);
  });

  it('answers a malformed socket message with an error and keeps running', async () => {
    const raw = await RawSocket.open(join(dataDir, 'sentinel.sock'));
    try {
      raw.send('{"id": 1, "channel": 5}\n');
      expect(await raw.next()).toMatchObject({ id: 1, ok: false, error: { code: 'bad_request' } });
      raw.send('\u0000garbage\n');
      expect(await raw.next()).toMatchObject({ id: null, ok: false, error: { code: 'bad_request' } });
    } finally {
      raw.close();
    }
    expect((await proc('runner')).state).toBe('running');
  });

  it('stops a process by name through the socket, and refuses unknown names', async () => {
    const pid = (await proc('runner')).pid!;
    const r = await client('stop', 'runner');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('stop: runner');
    await waitFor(async () => (await proc('runner')).state === 'stopped', { what: 'runner to stop' });
    await waitFor(() => !alive(pid), { what: 'the runner pid to be gone' });
    const unknown = await client('stop', 'nobody');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe('error: no process named "nobody"');
    expect((await client('start', 'runner')).code).toBe(0);
    await waitFor(async () => (await proc('runner')).state === 'running', { what: 'runner to run again' });
  });

  it('after kill -9, a new run reconciles: store intact, no duplicate children', async () => {
    await waitFor(() => livePids('runner').length === 1, { what: 'one runner' });
    await daemon.kill('SIGKILL');
    daemon = new Daemon(['--config', configFile, '--data-dir', dataDir], e);
    await daemon.ready();
    await waitFor(async () => (await proc('runner')).state === 'running', { what: 'runner after restart' });
    // Whatever reconcile chose (kill or adopt), exactly one runner lives afterwards.
    await waitFor(() => livePids('runner').length === 1, { what: 'exactly one runner', timeout: 15_000 });
    const db = new Database(join(dataDir, 'sentinel.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const open = db.prepare("SELECT count(*) AS n FROM runs WHERE ended_at IS NULL AND process = 'runner'").get() as {
        n: number;
      };
      expect(open.n).toBe(1);
      expect((db.prepare('SELECT count(*) AS n FROM reconciliations').get() as { n: number }).n).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });

  it('shuts down cleanly on SIGTERM: children stopped, socket and api.json removed', async () => {
    await daemon.kill('SIGTERM');
    expect(daemon.child.exitCode).toBe(0);
    await waitFor(() => livePids('runner').length === 0, { what: 'children to be gone' });
    expect(readdirSync(dataDir).filter((f) => f === 'sentinel.sock' || f === 'api.json')).toEqual([]);
    const r = await client('status');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`sentinel is not running (no socket at ${join(dataDir, 'sentinel.sock')})\n`);
  });
});
