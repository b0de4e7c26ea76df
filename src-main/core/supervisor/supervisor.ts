/**
 * Starts, watches, stops and restarts the configured processes. Each process moves only through the state
 * machine (state-machine.ts); restart decisions come from the pure policy (restart-policy.ts). A crash is handled
 * on the child's `exit` event — no polling tick — so a zero-delay restart is as fast as a spawn.
 */
import { EventEmitter } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import type { LogLine, ProcessInfo, ProcessState } from '../../shared/contract';
import { RUNNING_STATES, UP_STATES } from '../../shared/states';
import { startsAtLoad, type ProcessSpec } from '../config/schema';
import { createRedactor, secretValues } from '../reports/redact';
import type { Db } from '../store/db';
import { formatDuration } from '../util/duration';
import { silentLogger, type Logger } from '../util/logger';
import { killGroup, liveGroupMembers, spawnInGroup } from './process-group';
import { LogWriter } from './log-capture';
import { decideRestart, describeExit, FRESH_RETRY_STATE, type ExitInfo, type RetryState } from './restart-policy';
import { RunsRepo } from '../store/runs-repo';
import { transition, type ProcessEvent } from './state-machine';

export interface SupervisorOptions {
  db: Db;
  logger?: Logger;
  now?: () => number;
  random?: () => number;
  logRetention?: { max_lines: number; max_bytes: number };
  /** The environment children inherit (the spec's env is merged over it). */
  env?: NodeJS.ProcessEnv;
}

export interface TransitionEvent {
  name: string;
  from: ProcessState;
  to: ProcessState;
  reason: string | null;
  at: number;
}

export interface ExitEvent {
  name: string;
  runId: number;
  code: number | null;
  signal: string | null;
  uptimeMs: number;
  /** The exit was asked for (stop/restart), not a crash. */
  requested: boolean;
}

export interface SpecDiff {
  added: string[];
  removed: string[];
  changed: string[];
  unchanged: string[];
}

interface Proc {
  spec: ProcessSpec;
  state: ProcessState;
  child: ChildProcess | null;
  pid: number | null;
  /** The group of the latest run; kept after the leader exits so leftovers (a daemonized child) can be stopped. */
  pgid: number | null;
  runId: number | null;
  startedAt: number | null;
  restarts: number;
  lastExitCode: number | null;
  lastSignal: string | null;
  reason: string | null;
  nextAttemptAt: number | null;
  retry: RetryState;
  /** The pending backoff or retry_after timer. */
  timer: NodeJS.Timeout | null;
  /** Fires after start_secs: starting → running. */
  stableTimer: NodeJS.Timeout | null;
  stopping: Promise<void> | null;
  redactLine: ((line: string) => string) | null;
}

/**
 * Store writes and events that can wait until a restarted child is spawned: on the crash → restart path the
 * spawn goes first and the bookkeeping (close the run, three transitions, open the next run) follows in one
 * transaction, so a zero-delay restart costs a spawn, not a spawn plus five WAL commits and a timer hop.
 */
interface Deferred {
  writes: (() => void)[];
  events: (() => void)[];
}

export class UnknownProcessError extends Error {
  constructor(readonly processName: string) {
    super(`no process named "${processName}"`);
  }
}

export class Supervisor extends EventEmitter {
  readonly logs: LogWriter;
  private readonly procs = new Map<string, Proc>();
  private readonly repo: RunsRepo;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly env: NodeJS.ProcessEnv;
  /** The first store write that failed, while the store refuses writes (disk full); null when healthy. */
  storeError: string | null = null;
  /** Set by shutdown(): nothing starts any more (a recovery or a limit acting late must not spawn a child). */
  private shuttingDown = false;

  constructor(opts: SupervisorOptions) {
    super();
    this.repo = new RunsRepo(opts.db);
    this.log = opts.logger ?? silentLogger;
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
    this.env = opts.env ?? process.env;
    this.logs = new LogWriter(opts.db, {
      onFlush: (lines: LogLine[]) => this.emit('logs', lines),
      wantLines: () => this.listenerCount('logs') > 0,
      retention: opts.logRetention,
      retentionFor: (name) => {
        const own = this.procs.get(name)?.spec.logs;
        return own && opts.logRetention
          ? {
              max_lines: own.max_lines ?? opts.logRetention.max_lines,
              max_bytes: own.max_bytes ?? opts.logRetention.max_bytes,
            }
          : undefined;
      },
      onError: (err) => this.storeFailed('store captured output', err),
      onStored: () => this.storeWorks(),
    });
  }

  // ---------- configuration ----------

  /** Applies a config as a diff: removed processes stop, changed ones restart if they were live, added ones wait. */
  setSpecs(specs: readonly ProcessSpec[]): SpecDiff {
    const diff: SpecDiff = { added: [], removed: [], changed: [], unchanged: [] };
    const next = new Map(specs.map((s) => [s.name, s]));
    for (const [name, p] of this.procs) {
      if (next.has(name)) continue;
      diff.removed.push(name);
      void this.stop(name)
        .catch((err: Error) => this.log.error(`stopping removed process "${name}" failed`, { error: err.message }))
        .finally(() => {
          // A config applied meanwhile may have added the name back; that new entry is not ours to forget.
          if (this.procs.get(name) !== p) return;
          this.procs.delete(name);
          this.persist('forget a removed process', () => this.repo.deleteProcess(name));
        });
      p.nextAttemptAt = null;
    }
    for (const spec of specs) {
      const p = this.procs.get(spec.name);
      this.persist('record a process', () => this.repo.upsertProcess(spec.name, spec, this.now()));
      if (!p) {
        this.procs.set(spec.name, this.newProc(spec));
        diff.added.push(spec.name);
      } else if (JSON.stringify(p.spec) !== JSON.stringify(spec)) {
        p.spec = spec;
        p.redactLine = this.redactorFor(spec);
        diff.changed.push(spec.name);
        if (RUNNING_STATES.has(p.state)) {
          void this.restart(spec.name).catch((err: Error) =>
            this.log.error(`restarting changed process "${spec.name}" failed`, { error: err.message }),
          );
        }
      } else {
        diff.unchanged.push(spec.name);
      }
    }
    return diff;
  }

  /** Starts every process marked autostart, in config order; scheduled ones are the scheduler's (unless run_at_load). */
  async startAutostart(): Promise<void> {
    const names = [...this.procs.values()].filter((p) => startsAtLoad(p.spec)).map((p) => p.spec.name);
    await Promise.all(names.map((n) => this.start(n)));
  }

  // ---------- commands ----------

  /** Starts a process (resets its retry count). Resolves once the child is spawned. */
  async start(name: string): Promise<void> {
    const p = this.get(name);
    if (p.state === 'stopping') await p.stopping;
    // Once shutdown began nothing starts again: a schedule or recovery firing meanwhile would leave a child behind.
    if (UP_STATES.has(p.state) || this.shuttingDown) return;
    this.clearTimer(p);
    p.retry = FRESH_RETRY_STATE;
    p.nextAttemptAt = null;
    this.move(p, 'start', 'start requested');
    this.launch(p);
  }

  /** Stops a process and everything in its process group. Resolves once the whole group is gone. */
  async stop(name: string): Promise<void> {
    const p = this.get(name);
    this.clearTimer(p);
    p.nextAttemptAt = null;
    if (p.state === 'stopping') return p.stopping ?? undefined;
    if (UP_STATES.has(p.state)) {
      this.move(
        p,
        'stop',
        `stop requested (${p.spec.stop.signal}, then SIGKILL after ${formatDuration(p.spec.stop.timeout)})`,
      );
      p.stopping = this.killRun(p);
      return p.stopping;
    }
    // No child, but what it spawned may live on (a daemon that forked and exited).
    if (p.pgid !== null && (await liveGroupMembers(p.pgid)).length > 0) {
      const res = await killGroup(p.pgid, p.spec.stop.signal, p.spec.stop.timeout);
      this.log.info(`stopped leftovers of "${name}" in group ${p.pgid}`, { forced: res.forced });
    }
    p.pgid = null;
    if (p.state !== 'stopped') this.move(p, 'cancel', 'stopped by request');
  }

  /** `counted`: Sentinel restarts it on its own (a limit), so it counts in `restarts` and the metric. */
  async restart(name: string, opts: { counted?: boolean } = {}): Promise<void> {
    if (opts.counted) this.get(name).restarts++;
    await this.stop(name);
    await this.start(name);
  }

  /** Stops every child (in parallel) and flushes the captured output. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    await Promise.all(
      [...this.procs.keys()].map((n) =>
        this.stop(n).catch((err: Error) => this.log.error(`stop of "${n}" failed`, { error: err.message })),
      ),
    );
    this.logs.close();
  }

  // ---------- queries ----------

  names(): string[] {
    return [...this.procs.keys()];
  }

  groupMembers(group: string): string[] {
    return [...this.procs.values()].filter((p) => p.spec.group === group).map((p) => p.spec.name);
  }

  spec(name: string): ProcessSpec {
    return this.get(name).spec;
  }

  pidOf(name: string): number | null {
    return this.procs.get(name)?.pid ?? null;
  }

  pgidOf(name: string): number | null {
    const p = this.procs.get(name);
    return p?.child ? p.pgid : null;
  }

  info(name: string): ProcessInfo {
    const p = this.get(name);
    const now = this.now();
    return {
      name,
      group: p.spec.group ?? null,
      state: p.state,
      pid: p.pid,
      started_at: p.child ? p.startedAt : null,
      uptime_ms: p.child && p.startedAt !== null ? now - p.startedAt : null,
      restarts: p.restarts,
      last_exit_code: p.lastExitCode,
      last_signal: p.lastSignal,
      reason: p.reason,
      next_attempt_at: p.nextAttemptAt,
      cpu: null,
      memory: null,
      schedule: null,
    };
  }

  list(): ProcessInfo[] {
    return this.names().map((n) => this.info(n));
  }

  // ---------- the lifecycle of one run ----------

  private launch(p: Proc, deferred?: Deferred): void {
    const name = p.spec.name;
    let child: ChildProcess;
    try {
      child = spawnInGroup(p.spec, this.env);
    } catch (err) {
      this.settle(deferred);
      this.onExit(p, null, {
        code: null,
        signal: null,
        uptimeMs: 0,
        description: `could not spawn: ${(err as Error).message}`,
      });
      return;
    }
    if (child.pid === undefined) {
      this.settle(deferred);
      // ENOENT, EACCES, a bad cwd: Node reports these as an 'error' event, with no 'exit'.
      child.once('error', (err) =>
        this.onExit(p, null, { code: null, signal: null, uptimeMs: 0, description: `could not spawn: ${err.message}` }),
      );
      return;
    }
    const startedAt = this.now();
    Object.assign(p, { child, pid: child.pid, pgid: child.pid, startedAt });
    // The child runs; now the bookkeeping: what the crash deferred, this run and its transition, one commit.
    const own: Deferred = deferred ?? { writes: [], events: [] };
    const openRun = () =>
      this.repo.openRun({
        process: name,
        pid: child.pid!,
        pgid: child.pid!,
        supervisor_pid: process.pid,
        started_at: startedAt,
      });
    p.runId = null;
    this.inOneCommit(() => {
      for (const w of own.writes.splice(0)) w();
      p.runId = this.persist('record a run', openRun) ?? null;
    });
    const runId = p.runId;
    this.logs.write(name, runId, 'sys', `started pid ${child.pid}: ${[p.spec.command, ...p.spec.args].join(' ')}`);
    const redact = p.redactLine ?? undefined;
    void this.logs.capture(child.stdout!, name, runId, 'out', redact);
    void this.logs.capture(child.stderr!, name, runId, 'err', redact);
    child.once('exit', (code, signal) => this.onExit(p, child, { code, signal, uptimeMs: this.now() - startedAt }));
    child.on('error', (err) => this.log.warn(`child of "${name}" reported an error`, { error: err.message }));
    this.move(p, 'spawned', `spawned pid ${child.pid}`, own);
    this.settle(own);
    p.stableTimer = setTimeout(() => {
      p.stableTimer = null;
      if (p.child === child && p.state === 'starting')
        this.move(p, 'started', `up for ${formatDuration(p.spec.restart.start_secs)}`);
    }, p.spec.restart.start_secs);
  }

  private onExit(p: Proc, child: ChildProcess | null, exit: ExitInfo): void {
    if (child !== null && p.child !== child) return;
    // A spawn failure reported after a stop already settled the process: nothing is left to decide.
    if (child === null && p.state !== 'starting') return;
    const now = this.now();
    if (p.stableTimer) clearTimeout(p.stableTimer);
    p.stableTimer = null;
    p.child = null;
    p.pid = null;
    p.lastExitCode = exit.code;
    p.lastSignal = exit.signal;
    const requested = p.state === 'stopping';
    const what = exit.description ?? describeExit(exit);
    const runId = p.runId;
    p.runId = null;
    const deferred: Deferred = { writes: [], events: [] };
    if (child !== null) {
      const reason = requested ? `stopped by request (${what})` : what;
      if (runId !== null)
        deferred.writes.push(() =>
          this.persist('close a run', () =>
            this.repo.closeRun(runId, { ended_at: now, exit_code: exit.code, signal: exit.signal, reason }),
          ),
        );
      this.logs.write(p.spec.name, runId, 'sys', `${what} after ${formatDuration(exit.uptimeMs)}`);
      const event: ExitEvent = {
        name: p.spec.name,
        runId: runId ?? 0,
        code: exit.code,
        signal: exit.signal,
        uptimeMs: exit.uptimeMs,
        requested,
      };
      deferred.events.push(() => this.emit('exit', event));
    }
    if (requested) return this.settle(deferred); // stop() finishes the move to `stopped` once the group is gone.

    const { decision, state } = decideRestart(p.spec.restart, exit, p.retry, now, this.random);
    p.retry = state;
    // Once shutdown began, the restart goes through the timer below, which stop() clears: nothing is spawned.
    if (decision.action === 'restart' && decision.delayMs <= 0 && !this.shuttingDown) {
      // Spawn first, bookkeeping after (see Deferred).
      p.restarts++;
      p.nextAttemptAt = now;
      this.move(p, 'crashed', decision.reason, deferred);
      p.nextAttemptAt = null;
      this.move(p, 'retry', `restart ${p.retry.failures.length}/${p.spec.restart.max_retries}`, deferred);
      this.launch(p, deferred);
      return;
    }
    this.settle(deferred);
    if (decision.action === 'restart') {
      p.restarts++;
      p.nextAttemptAt = now + decision.delayMs;
      this.move(p, 'crashed', decision.reason);
      p.timer = setTimeout(() => {
        p.timer = null;
        p.nextAttemptAt = null;
        this.move(p, 'retry', `restart ${p.retry.failures.length}/${p.spec.restart.max_retries}`);
        this.launch(p);
      }, decision.delayMs);
    } else if (decision.action === 'exit') {
      this.move(p, 'finished', decision.reason);
    } else {
      this.move(p, 'gave_up', decision.reason);
      this.log.warn(`process "${p.spec.name}" is fatal: ${decision.reason}`);
      if (decision.retryAt !== null) {
        p.nextAttemptAt = decision.retryAt;
        p.timer = setTimeout(() => {
          p.timer = null;
          p.nextAttemptAt = null;
          p.retry = FRESH_RETRY_STATE;
          this.move(p, 'retry', 'retry_after elapsed: trying again from scratch');
          this.launch(p);
        }, decision.retryAt - now);
      }
    }
  }

  private async killRun(p: Proc): Promise<void> {
    const child = p.child;
    if (child === null) {
      // Stopped between a failed spawn and its 'error' event: there is no child and no group to end.
      p.stopping = null;
      this.move(p, 'stopped', 'stopped before the spawn completed');
      return;
    }
    const pgid = p.pgid!;
    const exited = new Promise<void>((resolve) =>
      child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
    );
    const res = await killGroup(pgid, p.spec.stop.signal, p.spec.stop.timeout, exited);
    await exited;
    if (res.survivors.length > 0)
      this.log.error(`processes of "${p.spec.name}" survived SIGKILL`, { pids: res.survivors });
    p.pgid = null;
    p.stopping = null;
    this.move(
      p,
      'stopped',
      res.forced
        ? `killed with SIGKILL after ${formatDuration(p.spec.stop.timeout)} grace`
        : `stopped by ${p.spec.stop.signal}`,
    );
  }

  // ---------- helpers ----------

  /**
   * A failed write to the store (disk full, a locked or damaged file) is logged and supervision goes on: keeping
   * the children alive matters more than the record of it. `storeError` says the store is degraded until a write
   * succeeds again.
   */
  private persist<T>(what: string, write: () => T): T | undefined {
    try {
      const result = write();
      this.storeWorks();
      return result;
    } catch (err) {
      this.storeFailed(what, err as Error);
      return undefined;
    }
  }

  /** A write succeeded: a degraded store has recovered (announced once). */
  private storeWorks(): void {
    if (this.storeError === null) return;
    this.log.warn('store recovered: it accepts writes again', { after: this.storeError });
    this.storeError = null;
    this.emit('store', null);
  }

  /**
   * A write failed: the store is degraded, and stays so with the first cause until a write succeeds. Later
   * failures keep that message: the pushed 'store' event and `status.get` then say the same thing, and a commit
   * that fails only because SQLite rolled back after a failed write inside it ("no transaction is active") does
   * not replace the cause (disk full).
   */
  private storeFailed(what: string, err: Error): void {
    if (this.storeError !== null) return;
    this.storeError = `could not ${what}: ${err.message}`;
    this.log.error(`store degraded: ${this.storeError}`);
    // 'store': the overall colour depends on it (see live-subsystems' overall()).
    this.emit('store', this.storeError);
  }

  /** Writes (each through `persist`) in one commit; a failing commit degrades the store like a failing write. */
  private inOneCommit(writes: () => void): void {
    try {
      this.repo.inOneCommit(writes);
    } catch (err) {
      this.storeFailed('commit the bookkeeping of a restart', err as Error);
    }
  }

  /** A state change: stored and announced now, or (with `deferred`) once `settle` runs what was deferred. */
  private move(p: Proc, event: ProcessEvent, reason: string | null, deferred?: Deferred): void {
    const from = p.state;
    const to = transition(from, event);
    const at = this.now();
    p.state = to;
    p.reason = reason;
    const row = {
      state: to,
      pid: p.pid,
      restarts: p.restarts,
      last_exit_code: p.lastExitCode,
      last_signal: p.lastSignal,
      reason,
    };
    const data = event === 'crashed' || event === 'gave_up' ? { next_attempt_at: p.nextAttemptAt } : undefined;
    const write = () =>
      this.persist('record a transition', () => {
        this.repo.updateProcess(p.spec.name, row, at);
        this.repo.recordEvent({ process: p.spec.name, at, from, to, reason, data });
      });
    const info = this.info(p.spec.name);
    const announce = () => {
      this.emit('transition', { name: p.spec.name, from, to, reason, at } satisfies TransitionEvent);
      this.emit('process.changed', info);
    };
    if (deferred) {
      deferred.writes.push(write);
      deferred.events.push(announce);
    } else {
      write();
      announce();
    }
  }

  /** Runs deferred writes in one transaction, then the deferred events, in the order they happened. */
  private settle(deferred: Deferred | undefined): void {
    if (!deferred) return;
    const writes = deferred.writes.splice(0);
    if (writes.length > 0) this.inOneCommit(() => writes.forEach((w) => w()));
    for (const e of deferred.events.splice(0)) e();
  }

  private clearTimer(p: Proc): void {
    if (p.timer) clearTimeout(p.timer);
    p.timer = null;
  }

  private get(name: string): Proc {
    const p = this.procs.get(name);
    if (!p) throw new UnknownProcessError(name);
    return p;
  }

  private newProc(spec: ProcessSpec): Proc {
    return {
      spec,
      state: 'stopped',
      child: null,
      pid: null,
      pgid: null,
      runId: null,
      startedAt: null,
      restarts: 0,
      lastExitCode: null,
      lastSignal: null,
      reason: null,
      nextAttemptAt: null,
      retry: FRESH_RETRY_STATE,
      timer: null,
      stableTimer: null,
      stopping: null,
      redactLine: this.redactorFor(spec),
    };
  }

  /** Secret values in the child's environment never reach the store, even if the child prints them. */
  private redactorFor(spec: ProcessSpec): ((line: string) => string) | null {
    const secrets = secretValues({ ...this.env, ...spec.env });
    return secrets.length > 0 ? createRedactor(secrets) : null;
  }
}
