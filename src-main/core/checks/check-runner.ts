/**
 * Runs checks on their own intervals, all concurrently. Each run has a deadline (`timeout`, enforced even when
 * a check ignores its abort signal) and `retries` immediate re-attempts: a check counts as failed only when every
 * attempt of the round failed. A check never overlaps itself: a tick that finds the previous run still going is
 * skipped. Every result is validated, so a broken check becomes a failed result, never an exception.
 */
import { EventEmitter } from 'node:events';
import type { CheckResult } from '../../shared/contract';
import type { CheckSpec } from '../config/schema';
import type { Logger } from '../util/logger';
import { runCheck } from './index';
import { findProcesses as findSystemProcesses, type FoundProcess, type ProcessQuery } from './process-finder';
import { describeError, failedResult, validateResult } from './result';
import type { CheckContext, SupervisorLookup } from './types';

export interface ScheduledCheck {
  /** Unique among all scheduled checks. */
  name: string;
  service: string | null;
  upstream: boolean;
  spec: CheckSpec;
}

export interface CheckRunnerOptions {
  checks: ScheduledCheck[];
  logger: Logger;
  now?: () => number;
  supervisor?: SupervisorLookup;
  findProcesses?: (query: ProcessQuery) => Promise<FoundProcess[]>;
  /** PATH for tool lookups (netbird, ping). */
  path?: string;
  /** The check implementation; `runCheck` unless a caller runs its own kind of check. */
  run?: (spec: CheckSpec, ctx: CheckContext) => Promise<unknown>;
}

interface Entry {
  check: ScheduledCheck;
  timer?: NodeJS.Timeout;
  inflight?: Promise<CheckResult>;
  skipped: number;
}

export interface CheckRunnerEvents {
  result: [CheckResult];
}

export class CheckRunner extends EventEmitter<CheckRunnerEvents> {
  private entries = new Map<string, Entry>();
  private readonly latestResults = new Map<string, CheckResult>();
  private stopper = new AbortController();
  private running = false;
  private readonly now: () => number;

  constructor(private readonly opts: CheckRunnerOptions) {
    super();
    this.now = opts.now ?? Date.now;
    this.setChecks(opts.checks);
  }

  /** Replaces the set of checks (config reload); timers restart when running. */
  setChecks(checks: ScheduledCheck[]): void {
    const wasRunning = this.running;
    if (wasRunning) this.clearTimers();
    this.entries = new Map(checks.map((c) => [c.name, { check: c, skipped: 0 }]));
    for (const name of [...this.latestResults.keys()]) if (!this.entries.has(name)) this.latestResults.delete(name);
    if (wasRunning) this.startTimers();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.startTimers();
  }

  /** Stops the timers and aborts runs in flight; their results are dropped, not reported. */
  stop(): void {
    this.running = false;
    this.clearTimers();
    this.stopper.abort();
    // Runs started after a stop (runAllNow on a stopped runner) get a live signal.
    this.stopper = new AbortController();
  }

  /** "Force check now": every check at once; a check already running is awaited, not started twice. */
  runAllNow(): Promise<CheckResult[]> {
    return this.runNow([...this.entries.keys()]);
  }

  runNow(names: string[]): Promise<CheckResult[]> {
    const entries = names.map((n) => this.entries.get(n)).filter((e): e is Entry => e !== undefined);
    return Promise.all(entries.map((e) => this.runEntry(e)));
  }

  latest(): ReadonlyMap<string, CheckResult> {
    return this.latestResults;
  }

  /** Ticks skipped because the previous run of that check was still going. */
  skippedTicks(name: string): number {
    return this.entries.get(name)?.skipped ?? 0;
  }

  checks(): ScheduledCheck[] {
    return [...this.entries.values()].map((e) => e.check);
  }

  private startTimers(): void {
    for (const entry of this.entries.values()) {
      const tick = () => {
        if (entry.inflight) {
          entry.skipped++;
          this.opts.logger.debug(`check ${entry.check.name} still running, tick skipped`);
          return;
        }
        void this.runEntry(entry);
      };
      entry.timer = setInterval(tick, Math.max(10, entry.check.spec.interval));
      tick();
    }
  }

  private clearTimers(): void {
    for (const entry of this.entries.values()) clearInterval(entry.timer);
  }

  private runEntry(entry: Entry): Promise<CheckResult> {
    if (entry.inflight) return entry.inflight;
    const p = this.runWithRetries(entry.check).finally(() => {
      entry.inflight = undefined;
    });
    entry.inflight = p;
    return p;
  }

  private async runWithRetries(check: ScheduledCheck): Promise<CheckResult> {
    const stopped = this.stopper.signal;
    const attempts = check.spec.retries + 1;
    let result!: CheckResult;
    let attempt = 0;
    while (attempt < attempts) {
      attempt++;
      result = await this.attempt(check, stopped);
      if (result.ok || stopped.aborted) break;
    }
    if (attempt > 1 && result.data !== null && (result.data === undefined || typeof result.data === 'object')) {
      result = { ...result, data: { ...(result.data as Record<string, unknown> | undefined), attempts: attempt } };
    }
    // A check whose entry was removed by a reload while it ran must not resurrect its name, and a run cut short
    // by stop() says nothing about the service.
    if (this.entries.get(check.name)?.check === check && !stopped.aborted) {
      this.latestResults.set(check.name, result);
      this.emit('result', result);
    }
    return result;
  }

  private async attempt(check: ScheduledCheck, stopped: AbortSignal): Promise<CheckResult> {
    const { spec } = check;
    const timeout = new AbortController();
    const signal = AbortSignal.any([timeout.signal, stopped]);
    const ctx: CheckContext = {
      signal,
      timeoutMs: spec.timeout,
      name: check.name,
      service: check.service,
      upstream: check.upstream,
      now: this.now,
      supervisor: this.opts.supervisor,
      findProcesses: this.opts.findProcesses ?? findSystemProcesses,
      path: this.opts.path,
    };
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    let onStop = () => {};
    // The deadline (or a stop) wins even over a check that never looks at its signal.
    const deadline = new Promise<CheckResult>((resolve) => {
      timer = setTimeout(() => {
        timeout.abort();
        resolve(failedResult(ctx, spec.type, `timed out after ${spec.timeout} ms`, performance.now() - started));
      }, spec.timeout);
      onStop = () => resolve(failedResult(ctx, spec.type, 'stopped', performance.now() - started));
      stopped.addEventListener('abort', onStop, { once: true });
    });
    const work = (async () => {
      try {
        return validateResult(await (this.opts.run ?? runCheck)(spec, ctx), ctx, spec.type, this.opts.logger);
      } catch (err) {
        this.opts.logger.warn(`check ${check.name} threw`, { error: describeError(err) });
        return failedResult(ctx, spec.type, `check failed: ${describeError(err)}`, performance.now() - started);
      }
    })();
    try {
      return await Promise.race([work, deadline]);
    } finally {
      clearTimeout(timer);
      stopped.removeEventListener('abort', onStop);
    }
  }
}
