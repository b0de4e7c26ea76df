/**
 * The host through the real CLI: one supervisor per data dir (two `sentinel run` started at the same instant,
 * a stale lock after kill -9), the HTTP port and token kept across restarts, private files and the own log file.
 */
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { exited } from '../../bench/lib/exec';
import { killMarked, MARK_VAR, markedProcesses } from '../../bench/lib/procfs';
import { tempDir } from '../helpers/tmp';
import { alive, waitFor } from '../helpers/wait';
import { cli, CLI, CLI_MISSING, Daemon, isolatedEnv } from '../helpers/cli-harness';

/** Runs a command as another user (the test runs as root). */
function run(
  command: string,
  args: string[],
  opts: { env: NodeJS.ProcessEnv; uid: number; gid: number },
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...opts, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

const mark = `host-daemon-${process.pid}`;
const config = { processes: [{ name: 'web', command: 'sleep', args: ['300'], env: { [MARK_VAR]: mark } }] };
const mode = (file: string) => statSync(file).mode & 0o777;

describe.skipIf(CLI_MISSING)('the host under `sentinel run`', () => {
  let tmp: ReturnType<typeof tempDir>;
  let dataDir: string;
  let args: string[];
  let env: NodeJS.ProcessEnv;
  const daemons: Daemon[] = [];
  const start = () => {
    const d = new Daemon(args, env);
    daemons.push(d);
    return d;
  };

  beforeEach(() => {
    tmp = tempDir('sentinel-host-');
    dataDir = join(tmp.dir, 'data');
    const configFile = join(tmp.dir, 'sentinel.yaml');
    writeFileSync(configFile, stringify(config));
    args = ['--config', configFile, '--data-dir', dataDir];
    env = isolatedEnv(join(tmp.dir, 'home'));
  });
  afterEach(async () => {
    for (const d of daemons.splice(0))
      if (d.child.exitCode === null && d.child.signalCode === null) await d.kill('SIGKILL');
    killMarked(mark);
    tmp.cleanup();
  });

  it('two started at the same instant: exactly one runs, the other exits 1 naming the holder pid', async () => {
    const pair = [start(), start()];
    // One of them becomes ready; the other exits.
    const loser = await waitFor(() => pair.find((d) => d.child.exitCode !== null), {
      timeout: 30_000,
      what: 'one of the two to give up',
    });
    const winner = pair.find((d) => d !== loser)!;
    await winner.ready();
    expect(loser.child.exitCode).toBe(1);
    expect(loser.output).toContain(`another sentinel (pid ${winner.child.pid}) is already running on ${dataDir}`);
    // Exactly one copy of web runs, under the winner.
    await waitFor(
      async () => {
        const status = await cli(['status', '--json', '--data-dir', dataDir], env);
        const snapshot = JSON.parse(status.stdout) as { processes: Array<{ name: string; state: string }> };
        return snapshot.processes.some((p) => p.name === 'web' && p.state === 'running');
      },
      { timeout: 20_000, what: 'web running under the winner' },
    );
  });

  it('a lock left by kill -9 never blocks the next start, which keeps the port and token', async () => {
    const first = start();
    const line = await first.ready();
    const url = /windows at (\S+)/.exec(line)![1]!;
    await first.kill('SIGKILL');
    // The socket file is left behind: "not running" says it is stale and whose it was.
    const stale = await cli(['status', '--data-dir', dataDir], env);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain(`stale socket at ${join(dataDir, 'sentinel.sock')}`);
    expect(stale.stderr).toContain(`(pid ${first.child.pid})`);
    const second = start();
    const again = await second.ready();
    // Same port and token: an open window reconnects to the restarted daemon.
    expect(/windows at (\S+)/.exec(again)![1]).toBe(url);
    const r = await fetch(new URL('api/processes.list', url), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${new URL(url).searchParams.get('token')}`,
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(r.status).toBe(200);
    expect(mode(join(dataDir, 'endpoint.json'))).toBe(0o600);
  });

  // Root only (it runs the CLI as user nobody), and only where nobody can read the built CLI (a checkout inside a 0700
  // temp dir cannot be).
  const nobodyCanRunCli =
    process.getuid?.() === 0 &&
    spawnSync(process.execPath, [CLI, '--version'], { uid: 65534, gid: 65534, timeout: 20_000 }).status === 0;
  it.skipIf(!nobodyCanRunCli)('"not running" says permission denied to another user', async () => {
    const d = start();
    await d.ready();
    // The temp dir is 0700 root: user nobody cannot reach the socket of the running daemon.
    const r = await run(process.execPath, [CLI, 'status', '--data-dir', dataDir], { env, uid: 65534, gid: 65534 });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`permission was denied on ${join(dataDir, 'sentinel.sock')}`);
  });

  it('makes the data dir private (fixing old files), writes its own log and prints its path', async () => {
    // A data dir left world-readable by an older version.
    mkdirSync(join(dataDir, 'logs'), { recursive: true, mode: 0o755 });
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'logs', 'sentinel.log'), 'old line\n', { mode: 0o644 });
    const d = start();
    await d.ready();
    const logFile = /^log file: (.+)$/m.exec(d.output)?.[1];
    expect(logFile).toBe(join(dataDir, 'logs', 'sentinel.log'));
    await waitFor(() => readFileSync(logFile!, 'utf8').includes('sentinel started'), { what: 'the log line' });
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(join(dataDir, 'logs'))).toBe(0o700);
    for (const f of ['sentinel.db', 'sentinel.db-wal', 'sentinel.db-shm', 'api.json', 'logs/sentinel.log'])
      expect([f, mode(join(dataDir, f))]).toEqual([f, 0o600]);
    const pid = d.child.pid!;
    await d.kill('SIGTERM');
    expect(alive(pid)).toBe(false);
  });

  it('SIGTERM with a recovery, diagnostics and checks in flight ends within the longest grace + 2 s, leaving nothing', async () => {
    const graceMs = 1000;
    writeFileSync(
      args[1]!,
      stringify({
        processes: [
          // Fails its check at once: recovery restarts it and then waits up to a minute for it to be healthy.
          {
            name: 'hung',
            command: 'sleep',
            args: ['300'],
            env: { [MARK_VAR]: mark },
            checks: [{ type: 'command', command: 'false', interval: '200ms' }],
          },
          // Ignores SIGTERM: needs its whole grace and a SIGKILL.
          {
            name: 'stubborn',
            command: '/bin/sh',
            args: ['-c', 'trap "" TERM; while true; do sleep 0.1; done'],
            env: { [MARK_VAR]: mark },
            stop: { timeout: `${graceMs}ms` },
          },
        ],
      }),
    );
    const d = start();
    await d.ready();
    // A recovery is in flight once its restart attempt is on record.
    await waitFor(
      async () => {
        const r = await cli(['failures', '--json', '--data-dir', dataDir], env);
        return r.code === 0 && r.stdout.includes('"restart_attempted": true');
      },
      { timeout: 30_000, what: 'a recovery restart of hung' },
    );
    const t0 = Date.now();
    d.child.kill('SIGTERM');
    await exited(d.child);
    const tookMs = Date.now() - t0;
    expect(d.child.exitCode).toBe(0);
    expect(tookMs).toBeLessThan(graceMs + 2000);
    expect(markedProcesses(mark)).toEqual([]);
    const log = readFileSync(join(dataDir, 'logs', 'sentinel.log'), 'utf8');
    const after = log.slice(log.lastIndexOf('sentinel stopped'));
    expect(log).toContain('sentinel stopped');
    expect(after).not.toMatch(/not open|failed/);
  });
});
