/**
 * The real supervisor under test: `node dist/main/cli.cjs run` as a child of the test, its CLI, its store and the
 * children it runs (found in /proc by the mark every test child carries).
 */
import Database from 'better-sqlite3';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { ProcessInfo } from '../../../src-main/shared/contract';
import type { ConfigInput } from '../../../src-main/core/config/schema';
import { exited, run, spawnDaemon, type Ran } from '../../../bench/lib/exec';
import { SENTINEL_CLI } from '../../../bench/peers/sentinel';
import { afterAll, beforeAll } from 'vitest';
import { killMarked } from '../../../bench/lib/procfs';
import { waitFor } from '../../helpers/wait';

export { SENTINEL_CLI };
export const CLI_MISSING = existsSync(SENTINEL_CLI)
  ? undefined
  : `${SENTINEL_CLI} is missing: npm run test:reliability builds it from src-main/cli/main.ts`;

export class SentinelDaemon {
  readonly configFile: string;
  readonly dataDir: string;
  readonly dbFile: string;
  private child: ChildProcess | undefined;
  /** Every supervisor pid this object started, so a test can tell the current one from the dead. */
  readonly pids: number[] = [];

  constructor(
    readonly dir: string,
    config: ConfigInput,
    dataDir?: string,
  ) {
    this.configFile = join(dir, 'sentinel.yaml');
    this.dataDir = dataDir ?? join(dir, 'data');
    this.dbFile = join(this.dataDir, 'sentinel.db');
    mkdirSync(this.dataDir, { recursive: true });
    writeFileSync(this.configFile, stringify(config));
  }

  get pid(): number {
    if (this.child?.pid === undefined) throw new Error('the supervisor is not started');
    return this.child.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts `sentinel run` and resolves once this very process answers `status` over its socket. */
  async start(): Promise<void> {
    this.child = spawnDaemon(
      process.execPath,
      [SENTINEL_CLI, 'run', '--config', this.configFile, '--data-dir', this.dataDir],
      {
        logFile: join(this.dir, 'sentinel.stdout'),
      },
    );
    this.pids.push(this.child.pid!);
    const child = this.child;
    await waitFor(
      async () => {
        if (child.exitCode !== null)
          throw new Error(`sentinel run exited ${child.exitCode}; see ${this.dir}/sentinel.stdout`);
        return (await this.cli('status', '--json')).code === 0;
      },
      { timeout: 30_000, interval: 50, what: 'the supervisor to answer status' },
    );
  }

  /** Throws, quoting the end of the supervisor's own output, if it is no longer running: a dead daemon is the finding. */
  assertAlive(): void {
    if (this.running) return;
    const out = readFileSync(join(this.dir, 'sentinel.stdout'), 'utf8');
    throw new Error(
      `the supervisor died (exit ${this.child?.exitCode ?? this.child?.signalCode}); its last output:\n${out.slice(-1500)}`,
    );
  }

  /** kill -9: no chance to close runs, flush logs or stop children. */
  async kill9(): Promise<void> {
    const c = this.child;
    if (!c || !this.running) return;
    c.kill('SIGKILL');
    await exited(c);
  }

  /** A graceful stop (SIGTERM), SIGKILL if it takes longer than `graceMs`. */
  async stop(graceMs = 30_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const c = this.child;
    if (!c) return { code: null, signal: null };
    if (this.running) {
      c.kill('SIGTERM');
      const timer = setTimeout(() => c.kill('SIGKILL'), graceMs);
      await exited(c);
      clearTimeout(timer);
    }
    return { code: c.exitCode, signal: c.signalCode };
  }

  cli(...args: string[]): Promise<Ran> {
    return run(process.execPath, [SENTINEL_CLI, ...args, '--data-dir', this.dataDir], { timeoutMs: 30_000 });
  }

  /** The processes as `status --json` reports them. */
  async processes(): Promise<ProcessInfo[]> {
    const r = await this.cli('status', '--json');
    if (r.code !== 0) throw new Error(`status --json exited ${r.code}: ${r.stderr.trim()}`);
    const body = JSON.parse(r.stdout) as { processes?: ProcessInfo[] } | ProcessInfo[];
    return Array.isArray(body) ? body : (body.processes ?? []);
  }

  async process(name: string): Promise<ProcessInfo> {
    const p = (await this.processes()).find((x) => x.name === name);
    if (!p) throw new Error(`status has no process "${name}"`);
    return p;
  }

  /** A read-only look at the store (the supervisor keeps writing; WAL lets us read alongside). */
  read<T>(fn: (db: Database.Database) => T): T {
    const db = new Database(this.dbFile, { readonly: true, fileMustExist: true });
    try {
      return fn(db);
    } finally {
      db.close();
    }
  }
}

/** Runs `daemon` for the whole describe block: nothing of this run's mark before, nothing left after. */
export function useDaemon(daemon: SentinelDaemon, mark: string, cleanup: () => void): void {
  beforeAll(async () => {
    killMarked(mark);
    await daemon.start();
  });
  afterAll(async () => {
    await daemon.stop(10_000);
    killMarked(mark);
    cleanup();
  });
}
