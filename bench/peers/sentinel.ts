/**
 * Sentinel as a benchmark peer: the real CLI (`dist/main/cli.cjs run`, built by `npm run build`) in the foreground
 * with a temp data dir. Captured lines are counted in the store through a read-only connection, which is exactly
 * what makes them "stored and queryable".
 */
import Database from 'better-sqlite3';
import type { ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { exited, runOk, spawnDaemon } from '../lib/exec';
import { waitFor } from '../../test/helpers/wait';
import type { Program } from '../lib/children';
import type { ConfigInput } from '../../src-main/core/config/schema';
import type { Peer, Unavailable } from './peer';

export const SENTINEL_CLI = fileURLToPath(new URL('../../dist/main/cli.cjs', import.meta.url));

const MEM_SAMPLER = new URL('../children/mem-sampler.mjs', import.meta.url).href;

export function sentinelUnavailable(): Unavailable | undefined {
  return existsSync(SENTINEL_CLI)
    ? undefined
    : { name: 'sentinel', reason: `${SENTINEL_CLI} is missing (npm run build bundles src-main/cli/main.ts)` };
}

/** The Sentinel config for the programs: zero restart delay, no backoff, a retry budget no bench exhausts. */
export function sentinelConfig(programs: Program[], settings: ConfigInput['settings'] = {}): ConfigInput {
  return {
    version: 1,
    settings,
    processes: programs.map((p) => ({
      name: p.name,
      command: p.command,
      args: p.args,
      env: p.env,
      restart: {
        policy: p.restart,
        delay: 0,
        backoff: 1,
        max_retries: 1_000_000,
        start_secs: 0,
      },
      stop: { signal: 'SIGTERM', timeout: 10_000 },
      ...(p.httpCheck
        ? { checks: [{ type: 'http' as const, url: p.httpCheck.url, interval: p.httpCheck.intervalMs, timeout: 500 }] }
        : {}),
    })),
  };
}

export class SentinelPeer implements Peer {
  readonly name = 'sentinel' as const;
  private daemon: ChildProcess | undefined;
  private reader: Database.Database | undefined;
  private readonly seen = new Map<string, { lastId: number; lines: number }>();
  readonly dataDir: string;

  constructor(
    private readonly dir: string,
    private readonly settings: ConfigInput['settings'] = {},
  ) {
    this.dataDir = join(dir, 'data');
  }

  /** The CLI with the data dir every command needs. */
  cli(...args: string[]): [string, string[]] {
    return [process.execPath, [SENTINEL_CLI, ...args, '--data-dir', this.dataDir]];
  }

  async start(programs: Program[]): Promise<void> {
    const config = join(this.dir, 'sentinel.yaml');
    writeFileSync(config, stringify(sentinelConfig(programs, this.settings)));
    const [cmd, args] = this.cli('run', '--config', config);
    // SENTINEL_BENCH_CPU_PROF=DIR: the daemon writes a V8 CPU profile there when it exits (to find what a scenario costs).
    const prof = process.env.SENTINEL_BENCH_CPU_PROF;
    if (prof) args.unshift('--cpu-prof', `--cpu-prof-dir=${prof}`);
    // SENTINEL_BENCH_MEM_LOG=FILE: the daemon appends its memoryUsage() and V8 heap figures there every few seconds
    // (bench/children/mem-sampler.mjs), and writes a heap snapshot into the peer's dir on SIGUSR2.
    if (process.env.SENTINEL_BENCH_MEM_LOG)
      args.unshift('--import', MEM_SAMPLER, '--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${this.dir}`);
    // SENTINEL_BENCH_NODE_FLAGS="--max-opt=999": node flags for the daemon only (to compare V8 settings side by side).
    const flags = process.env.SENTINEL_BENCH_NODE_FLAGS;
    if (flags) args.unshift(...flags.split(' ').filter(Boolean));
    this.daemon = spawnDaemon(cmd, args, { logFile: join(this.dir, 'sentinel.stdout') });
    const daemon = this.daemon;
    await waitFor(
      () => {
        if (daemon.exitCode !== null)
          throw new Error(`sentinel run exited ${daemon.exitCode}; see ${this.dir}/sentinel.stdout`);
        return existsSync(join(this.dataDir, 'sentinel.sock'));
      },
      { timeout: 60_000, interval: 10, what: 'sentinel.sock' },
    );
  }

  daemonPid(): number {
    if (this.daemon?.pid === undefined) throw new Error('sentinel is not started');
    return this.daemon.pid;
  }

  statusCommand() {
    const [command, args] = this.cli('status', '--json');
    return { command, args, env: process.env };
  }

  /** Lines (a row holds the lines of one read) counted past the last seen row (logs_process index), incrementally. */
  async capturedLines(program: string): Promise<number> {
    this.reader ??= new Database(join(this.dataDir, 'sentinel.db'), { readonly: true, fileMustExist: true });
    const seen = this.seen.get(program) ?? { lastId: 0, lines: 0 };
    const row = this.reader
      .prepare(
        `SELECT coalesce(sum(lines), 0) AS n, max(id) AS last FROM logs WHERE process = ? AND stream = 'out' AND id > ?`,
      )
      .get(program, seen.lastId) as { n: number; last: number | null };
    const next = { lastId: row.last ?? seen.lastId, lines: seen.lines + row.n };
    this.seen.set(program, next);
    return next.lines;
  }

  async stopAll(): Promise<void> {
    const [cmd, args] = this.cli('stop', '--all');
    await runOk(cmd, args, { timeoutMs: 300_000 });
  }

  async shutdown(): Promise<void> {
    this.reader?.close();
    this.reader = undefined;
    const d = this.daemon;
    if (!d || d.exitCode !== null || d.signalCode !== null) return;
    d.kill('SIGTERM');
    const timer = setTimeout(() => d.kill('SIGKILL'), 30_000);
    await exited(d);
    clearTimeout(timer);
  }
}
