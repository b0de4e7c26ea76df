/**
 * The health monitor: runs the checks, groups their results into rounds per service, asks the assessor for
 * colours, publishes the overall status, records sampled results, and hands red services to recovery.
 *
 * A service's round completes when every one of its checks has reported since the last round, so a service with
 * three checks on the same interval moves its hysteresis counters once per interval, not three times.
 */
import { EventEmitter } from 'node:events';
import type { CheckResult, FailureSummary, OverallStatus, ProcessInfo } from '../../shared/contract';
import { CheckRunner } from '../checks/check-runner';
import type { FoundProcess, ProcessQuery } from '../checks/process-finder';
import type { Config } from '../config/schema';
import type { Db } from '../store/db';
import { FailuresRepo } from '../store/failures-repo';
import { HealthRepo } from '../store/health-repo';
import type { Logger } from '../util/logger';
import { assess, isBad, type ServiceAssessment, type ServiceInput, type ServiceMemory } from './assessor';
import { Recovery, type Diagnose, type RunCommand } from './recovery';
import { runRestartCommand } from './run-restart';
import { isInstalled, tickInterval, watchPlan, type WatchedService, type WatchPlan } from './services';
import { sleptBetween, type ClockReading } from './wake';

/** What the monitor needs from the supervisor. */
export interface HealthSupervisor {
  pidOf(name: string): number | null;
  info(name: string): ProcessInfo | undefined;
  restart(name: string): Promise<unknown>;
  /**
   * Process states change without check results (processes without checks): the monitor re-assesses on these
   * events instead of looking at every process on a timer. Returns the unsubscribe function.
   */
  onChange?(listener: (name: string) => void): () => void;
}

export interface HealthMonitorOptions {
  db: Db;
  config: Config;
  supervisor?: HealthSupervisor;
  logger: Logger;
  now?: () => number;
  diagnose?: Diagnose;
  runCommand?: RunCommand;
  /** PATH for tool lookups (netbird, installed_if); default process.env.PATH. */
  path?: string;
  findProcesses?: (query: ProcessQuery) => Promise<FoundProcess[]>;
  /** The runtime dry-run setting; default the config's `settings.dry_run`. */
  dryRun?: () => boolean;
}

export interface HealthMonitorEvents {
  'status.changed': [OverallStatus];
  'failure.created': [FailureSummary];
  'failure.updated': [FailureSummary];
  /** Every check result, as it arrives (for live views and tests). */
  'check.result': [CheckResult];
}

/** A passing result that repeats the previous one is stored at most this often per check. */
const SAMPLE_EVERY_MS = 60_000;
const PRUNE_EVERY_MS = 10 * 60_000;
/** Sampled check rows wait at most this long before one transaction writes them (a changed status writes them at once). */
const FLUSH_AFTER_MS = 1_000;
/** `installed_if` answers (a PATH scan each) are reused for this long. */
const INSTALLED_FRESH_MS = 5_000;

export class HealthMonitor extends EventEmitter<HealthMonitorEvents> {
  private config: Config;
  private plan: WatchPlan;
  private readonly runner: CheckRunner;
  private readonly recovery: Recovery;
  private readonly health: HealthRepo;
  private readonly failures: FailuresRepo;
  private readonly now: () => number;
  private readonly logger: Logger;
  private memory = new Map<string, ServiceMemory>();
  private assessments = new Map<string, ServiceAssessment>();
  private reported = new Map<string, Set<string>>();
  private roundDone = new Set<string>();
  private overall: OverallStatus;
  private signature = '';
  private pendingRows: CheckResult[] = [];
  private lastStored = new Map<string, CheckResult>();
  private assessQueued = false;
  /** Nothing runs on a timer while nothing changes: check timers and process events drive the assessment. */
  private flushTimer?: NodeJS.Timeout;
  private pruneTimer?: NodeJS.Timeout;
  private unsubscribeSupervisor?: () => void;
  private lastClock?: ClockReading;
  /**
   * When the monitor last handled an event (a check result, a process change; epoch ms, 0 before start): a
   * liveness probe tells a stalled loop from a quiet one by it. Event-driven, so no tick keeps it fresh at rest.
   */
  lastTickAt = 0;
  private graceUntil = 0;
  /** installed_if answers, refreshed at most every INSTALLED_FRESH_MS (a PATH scan per result would be wasteful). */
  private installed = new Map<string, boolean>();
  private installedAt = 0;
  private readonly rounds = new EventEmitter<{ round: [string] }>();
  /**
   * Services a person restarted or stopped, with when the action took effect: not a failure, no recovery, until
   * they are green again on results taken since then (see greenSincePerson).
   */
  private readonly personActed = new Map<string, number>();
  private readonly dryRun: () => boolean;

  constructor(private readonly opts: HealthMonitorOptions) {
    super();
    this.config = opts.config;
    this.now = opts.now ?? Date.now;
    this.logger = opts.logger.child('health');
    this.health = new HealthRepo(opts.db);
    this.failures = new FailuresRepo(opts.db);
    this.plan = watchPlan(opts.config);
    this.dryRun = opts.dryRun ?? (() => this.config.settings.dry_run);
    this.refreshInstalled();
    this.runner = new CheckRunner({
      checks: this.allChecks(),
      logger: this.logger,
      now: this.now,
      supervisor: opts.supervisor,
      findProcesses: opts.findProcesses,
      path: opts.path,
    });
    this.runner.on('result', (r) => this.onResult(r));
    this.recovery = new Recovery({
      failures: this.failures,
      logger: this.logger,
      now: this.now,
      restartOwned: (name) =>
        opts.supervisor ? opts.supervisor.restart(name) : Promise.reject(new Error('no supervisor')),
      runCommand: opts.runCommand ?? runRestartCommand,
      diagnose: opts.diagnose,
      waitHealthy: (name, since, timeoutMs, signal) => this.waitHealthy(name, since, timeoutMs, signal),
      dryRun: this.dryRun,
      onCreated: (f) => this.emit('failure.created', f),
      onUpdated: (f) => this.emit('failure.updated', f),
    });
    this.rounds.setMaxListeners(0);
    this.overall = this.assessNow().overall;
  }

  /**
   * Longest expected gap between events, for liveness: there is no tick, but every check reports once per interval
   * (each attempt's deadline enforced), so the fastest check's interval plus its attempts' deadlines. Without
   * checks nothing is expected at rest, so there is no stall to see.
   */
  tickPeriod(): number {
    const checks = this.runner.checks();
    if (checks.length === 0) return Number.POSITIVE_INFINITY;
    return Math.min(...checks.map(({ spec }) => spec.interval + (spec.retries + 1) * spec.timeout));
  }

  start(): void {
    this.recovery.resume();
    this.lastTickAt = this.now();
    this.runner.start();
    this.lastClock = this.clock();
    this.unsubscribeSupervisor?.();
    this.unsubscribeSupervisor = this.opts.supervisor?.onChange?.(() => this.queueAssess());
    clearInterval(this.pruneTimer);
    this.pruneTimer = setInterval(() => this.prune(this.now()), PRUNE_EVERY_MS);
    this.pruneTimer.unref();
  }

  stop(): void {
    this.unsubscribeSupervisor?.();
    this.unsubscribeSupervisor = undefined;
    clearInterval(this.pruneTimer);
    this.pruneTimer = undefined;
    this.assessQueued = false;
    this.runner.stop();
    this.recovery.stop();
    this.flush();
  }

  /**
   * A person restarted or stopped `name`: its checks failing meanwhile are not a failure, and recovery leaves it
   * alone until it is up (green) again — no "hung" incident and no automatic restart on top of the person's.
   */
  notePersonAction(name: string): void {
    this.personActed.set(name, this.now());
  }

  /** Settles when recoveries under way have finished. */
  idle(): Promise<void> {
    return this.recovery.idle();
  }

  setConfig(config: Config): void {
    this.config = config;
    this.plan = watchPlan(config);
    this.refreshInstalled();
    const names = new Set(this.plan.services.map((s) => s.name));
    for (const map of [this.memory, this.assessments, this.reported] as Map<string, unknown>[]) {
      for (const key of [...map.keys()]) if (!names.has(key)) map.delete(key);
    }
    this.runner.setChecks(this.allChecks());
    this.publish();
  }

  /** "Force check now": every check at once; each service completes a round. */
  async runAll(): Promise<OverallStatus> {
    await this.runner.runAllNow();
    this.assessQueued = false;
    return this.publish();
  }

  status(): OverallStatus {
    return this.overall;
  }

  /** After a wake from sleep: failures are held (yellow, not counted) for `settings.wake_grace`. */
  notifyWake(): void {
    this.graceUntil = this.now() + this.config.settings.wake_grace;
    this.logger.info(`wake: grace for ${this.config.settings.wake_grace} ms`);
  }

  async restartService(name: string): Promise<{ ok: boolean; message: string }> {
    const target = this.plan.services.find((s) => s.name === name);
    if (!target) return { ok: false, message: `no service or process named "${name}"` };
    // Results taken while the command runs prove nothing about the restarted service.
    this.personActed.set(name, Number.POSITIVE_INFINITY);
    const dryRun = this.dryRun();
    const r = await this.recovery.restartNow(target);
    // A restart that did not happen (failed, or only described in dry run) leaves a failing service failing.
    if (r.ok && !dryRun) this.notePersonAction(name);
    else this.personActed.delete(name);
    this.logger.info(r.message);
    return r;
  }

  private allChecks() {
    return [...this.plan.upstream, ...this.plan.services.flatMap((s) => s.checks)];
  }

  private clock(): ClockReading {
    return { wall: this.now(), mono: performance.now() };
  }

  /**
   * Sleep detection without a tick: while a Mac sleeps the monotonic clock stands still and the wall clock runs
   * on, so comparing both at each event (a check result, a process change) finds the time slept. The first check
   * result after a wake is the first event, so the grace starts before that result is assessed.
   */
  private noticeSleep(): void {
    const cur = this.clock();
    this.lastTickAt = cur.wall;
    if (this.lastClock) {
      const slept = sleptBetween(this.lastClock, cur, tickInterval(this.plan));
      if (slept !== null) {
        this.logger.info(`clock jumped ${slept} ms: treating it as a sleep`);
        this.notifyWake();
      }
    }
    this.lastClock = cur;
  }

  private refreshInstalled(): void {
    this.installedAt = performance.now();
    this.installed = new Map(
      this.plan.services.map((s) => [s.name, isInstalled(s.spec?.installed_if, this.opts.path)]),
    );
  }

  /** Results of checks started together, and process changes of one restart, are assessed once for the lot. */
  private queueAssess(): void {
    if (this.assessQueued) return;
    this.assessQueued = true;
    setImmediate(() => {
      if (!this.assessQueued) return;
      this.assessQueued = false;
      this.noticeSleep();
      this.publish();
    });
  }

  private onResult(r: CheckResult): void {
    this.noticeSleep();
    this.emit('check.result', r);
    this.sample(r);
    if (r.service !== null) {
      const target = this.plan.services.find((s) => s.name === r.service);
      if (target) {
        const seen = this.reported.get(target.name) ?? new Set<string>();
        seen.add(r.name);
        if (target.checks.every((c) => seen.has(c.name))) {
          this.roundDone.add(target.name);
          this.reported.set(target.name, new Set());
        } else this.reported.set(target.name, seen);
      }
    }
    this.queueAssess();
  }

  /** Failures and changes are always stored; a steady passing check once a minute. */
  private sample(r: CheckResult): void {
    const prev = this.lastStored.get(r.name);
    if (r.ok && prev && prev.ok && r.at - prev.at < SAMPLE_EVERY_MS) return;
    this.lastStored.set(r.name, r);
    this.pendingRows.push(r);
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_AFTER_MS);
  }

  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pendingRows.length === 0) return;
    const rows = this.pendingRows;
    this.pendingRows = [];
    try {
      this.health.insert(rows);
    } catch (err) {
      this.logger.error('could not store check results', { error: (err as Error).message, rows: rows.length });
    }
  }

  private prune(now: number): void {
    try {
      this.health.prune(now - this.config.settings.retention.health_checks);
      this.failures.prune(now - this.config.settings.retention.failures);
    } catch (err) {
      this.logger.error('could not prune health data', { error: (err as Error).message });
    }
  }

  private assessNow() {
    if (performance.now() - this.installedAt > INSTALLED_FRESH_MS) this.refreshInstalled();
    const latest = this.runner.latest();
    const at = this.now();
    const inputs: ServiceInput[] = this.plan.services.map((s) => this.inputOf(s, latest));
    const out = assess({
      at,
      services: inputs,
      previous: this.memory,
      upstream: this.plan.upstream.map((c) => latest.get(c.name)).filter((r): r is CheckResult => r !== undefined),
      graceActive: at < this.graceUntil,
    });
    this.roundDone.clear();
    // Whether "Restart <name>" can act: supervised processes always can; an external service needs a command.
    const restartable = new Set(
      this.plan.services.filter((s) => s.kind === 'process' || s.spec?.restart).map((s) => s.name),
    );
    for (const s of out.overall.services) s.can_restart = restartable.has(s.name);
    return out;
  }

  private inputOf(s: WatchedService, latest: ReadonlyMap<string, CheckResult>): ServiceInput {
    const info = s.kind === 'process' ? this.opts.supervisor?.info(s.name) : undefined;
    return {
      name: s.name,
      kind: s.kind,
      installed: this.installed.get(s.name) ?? true,
      checks: s.checks.map((c) => latest.get(c.name)).filter((r): r is CheckResult => r !== undefined),
      ...(info ? { processState: info.state } : {}),
      newRound: this.roundDone.has(s.name),
      recovering: this.recovery.isRecovering(s.name),
      rules: s.rules,
    };
  }

  /** Assess, remember, announce a changed status, and act on red and green services. */
  private publish(): OverallStatus {
    const previous = this.assessments;
    const out = this.assessNow();
    this.memory = new Map([...out.services].map(([name, a]) => [name, a.memory]));
    this.assessments = out.services;
    this.overall = out.overall;
    const sig = signatureOf(out.overall);
    if (sig !== this.signature) {
      this.signature = sig;
      // The results that changed the colour are stored before anyone hears of it (or recovery records a failure
      // citing them): a reader of the check history after "red" finds the failing results, not a second's gap.
      this.flush();
      this.emit('status.changed', out.overall);
    }
    for (const target of this.plan.services) {
      const a = out.services.get(target.name);
      if (!a) continue;
      const actedAt = this.personActed.get(target.name);
      if (actedAt !== undefined) {
        if (this.greenSincePerson(target, a, actedAt)) {
          this.personActed.delete(target.name);
          // An incident open before the person acted ends here: the service is up again.
          this.recovery.onGreen(target.name);
        }
        this.rounds.emit('round', target.name);
        continue;
      }
      if (a.status.status === 'red' && isBad(a.verdict)) {
        // A process crash-looping (backoff) or given up (fatal) is the supervisor's episode, recorded once as
        // crash_loop/fatal by crash-episodes.ts: not a second "down" failure here.
        if (!this.inCrashEpisode(target)) this.recovery.onRed(target, a, this.pidsOf(target, a));
      } else if (a.heldByUpstream && a.memory.failRounds >= target.rules.fail_rounds)
        this.recovery.onUpstreamHeld(target, a, this.pidsOf(target, a));
      else if (a.status.status === 'green' && previous.get(target.name)?.status.status !== 'green')
        this.recovery.onGreen(target.name);
      this.rounds.emit('round', target.name);
    }
    return out.overall;
  }

  /**
   * Green on evidence from after the person's action: a supervised process must be a run started since then.
   * Process events arrive before the checks run again, so a green built on the results of the stopped run
   * (hysteresis keeps it green for rounds) does not end the person's action, or the red spell of a slow start that
   * follows would count as a failure and draw a recovery restart.
   */
  private greenSincePerson(target: WatchedService, a: ServiceAssessment, actedAt: number): boolean {
    if (a.status.status !== 'green') return false;
    if (target.kind === 'process' && (this.opts.supervisor?.info(target.name)?.started_at ?? -1) < actedAt)
      return false;
    return this.passingSince(target, actedAt);
  }

  /**
   * Every check of the service passed in an attempt that began at or after `since` (and, for a supervised process,
   * after its current run started). A check that began before a restart may pass on the old run, or on what it
   * left behind (a ready file, a port not yet closed), and finish after it: the end of a result proves nothing.
   */
  private passingSince(target: WatchedService, since: number): boolean {
    if (target.kind === 'process') {
      const info = this.opts.supervisor?.info(target.name);
      if (!info || info.started_at === null) return false;
      if (target.checks.length === 0) return info.state === 'running';
      since = Math.max(since, info.started_at);
    } else if (target.checks.length === 0) return false;
    const latest = this.runner.latest();
    return target.checks.every((c) => {
      const r = latest.get(c.name);
      return r !== undefined && r.ok && r.at - (r.latency_ms ?? 0) >= since;
    });
  }

  private inCrashEpisode(target: WatchedService): boolean {
    if (target.kind !== 'process') return false;
    const state = this.opts.supervisor?.info(target.name)?.state;
    return state === 'backoff' || state === 'fatal';
  }

  private pidsOf(target: WatchedService, a: ServiceAssessment): number[] {
    if (target.kind === 'process') {
      const pid = this.opts.supervisor?.pidOf(target.name);
      return pid ? [pid] : [];
    }
    const pids = a.status.checks.flatMap(
      (c) => ((c.data as { pids?: unknown } | undefined)?.pids as number[] | undefined) ?? [],
    );
    return pids.filter((p) => Number.isInteger(p));
  }

  /** True once every check of the service has passed in an attempt begun at or after `since` (passingSince). */
  private waitHealthy(name: string, since: number, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
    const healthy = () => {
      const target = this.plan.services.find((s) => s.name === name);
      return target !== undefined && this.passingSince(target, since);
    };
    return new Promise((resolve) => {
      const finish = (ok: boolean) => {
        clearTimeout(timer);
        this.rounds.off('round', onRound);
        signal.removeEventListener('abort', onAbort);
        resolve(ok);
      };
      const onRound = (service: string) => {
        if (service === name && healthy()) finish(true);
      };
      const onAbort = () => finish(false);
      const timer = setTimeout(() => finish(healthy()), timeoutMs);
      this.rounds.on('round', onRound);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** What makes a status "changed" for listeners: colours, reasons and rules, not timestamps or latencies. */
function signatureOf(o: OverallStatus): string {
  return JSON.stringify([
    o.status,
    o.reason,
    o.rule,
    o.services.map((s) => [s.name, s.status, s.reason, s.rule, s.recovering]),
  ]);
}
