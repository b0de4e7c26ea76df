/**
 * Samples CPU and memory of supervised processes' whole groups, keeps the latest values for `status`,
 * stores samples in the bounded `metrics` table (raw → minute averages → pruned), and enforces `limits`:
 * over a limit continuously for `for` → restart, stop or alert, with the reason stored as a process event.
 *
 * At rest it costs nothing it does not have to: only processes with `limits` are sampled on a timer (their
 * `sample_interval`); the others only while someone watches (a window showing CPU/memory: `setWatching`) or when a
 * request asks for fresh figures (`refresh`, behind `status.get`). One timer per distinct interval samples every
 * process due in that round from one read of the process table.
 */
import { EventEmitter } from 'node:events';
import type { LimitsSpec, ProcessSpec } from '../config/schema';
import type { Db } from '../store/db';
import { metricsRepo, type MetricRow, type MetricsRepo } from '../store/metrics-repo';
import { RunsRepo } from '../store/runs-repo';
import type { Logger } from '../util/logger';
import type { ProcessRunner } from '../scheduler/process-runner';
import { groupUsage, releaseSampler, type GroupUsage, type TickSnapshot } from './group-usage';
import { recentProcessTable } from '../../platform/process-table';
import { emptyLimitState, trackLimits, type Breach, type LimitState } from './limit-tracker';

export interface LimitEvent extends Breach {
  process: string;
  at: number;
}

/** One process's figures from a sampling round (what `processes.usage` pushes to windows). */
export interface UsageSample {
  process: string;
  at: number;
  cpu: number | null;
  memory: number | null;
}

export interface ResourceMonitorOptions {
  db: Db;
  supervisor: ProcessRunner;
  logger: Logger;
  now?: () => number;
  /** Sampling interval of processes without limits (their CPU/memory in status). */
  defaultIntervalMs?: number;
  /** Raw samples older than this are folded into minute averages. */
  rawKeepMs?: number;
  /** `settings.retention.metrics`: older samples are deleted. */
  retentionMs?: number;
  /** How long buffered samples wait before they are written (and the table downsampled and pruned). */
  flushMs?: number;
  /** Dry run: a limit is recorded and logged, the restart or stop is only said. */
  dryRun?: () => boolean;
}

interface Watched {
  name: string;
  limits: LimitsSpec | undefined;
  intervalMs: number;
  /** The sample under way, if any. */
  inflight: Promise<void> | null;
  acting: boolean;
  limitState: LimitState;
  latest: (GroupUsage & { at: number }) | null;
  /** Linux: the CPU ticks of the previous sample, which the next one's CPU % is counted from. */
  ticks: TickSnapshot | null;
}

const MAINTENANCE_EVERY_MS = 60_000;
const TABLE_FRESH_MS = 50;

export class ResourceMonitor extends EventEmitter<{ limit: [LimitEvent]; usage: [UsageSample[]] }> {
  private readonly repo: MetricsRepo;
  private readonly events: RunsRepo;
  private readonly supervisor: ProcessRunner;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly opts: Required<
    Pick<ResourceMonitorOptions, 'defaultIntervalMs' | 'rawKeepMs' | 'retentionMs' | 'flushMs'>
  >;
  private readonly watched = new Map<string, Watched>();
  /** One phase-aligned timer per sampling interval in use. */
  private readonly rounds = new Map<number, NodeJS.Timeout>();
  private watchers = 0;
  private readonly dryRun: () => boolean;
  private buffer: MetricRow[] = [];
  private flushTimer?: NodeJS.Timeout;
  private lastMaintenance = 0;
  private running = false;

  constructor(o: ResourceMonitorOptions) {
    super();
    this.repo = metricsRepo(o.db);
    this.events = new RunsRepo(o.db);
    this.supervisor = o.supervisor;
    this.log = o.logger.child('limits');
    this.now = o.now ?? Date.now;
    this.dryRun = o.dryRun ?? (() => false);
    this.opts = {
      defaultIntervalMs: o.defaultIntervalMs ?? 15_000,
      rawKeepMs: o.rawKeepMs ?? 3_600_000,
      retentionMs: o.retentionMs ?? 7 * 86_400_000,
      flushMs: o.flushMs ?? 5_000,
    };
  }

  setSpecs(processes: readonly ProcessSpec[]): void {
    const names = new Set(processes.map((p) => p.name));
    for (const name of this.watched.keys()) if (!names.has(name)) this.watched.delete(name);
    for (const p of processes) {
      const intervalMs = p.limits?.sample_interval ?? this.opts.defaultIntervalMs;
      const prev = this.watched.get(p.name);
      if (prev && prev.intervalMs === intervalMs) {
        if (JSON.stringify(prev.limits) !== JSON.stringify(p.limits)) prev.limitState = emptyLimitState();
        prev.limits = p.limits;
        continue;
      }
      const w: Watched = {
        name: p.name,
        limits: p.limits,
        intervalMs,
        inflight: null,
        acting: false,
        limitState: emptyLimitState(),
        latest: prev?.latest ?? null,
        ticks: prev?.ticks ?? null,
      };
      this.watched.set(p.name, w);
    }
    if (this.running) this.reschedule();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.reschedule();
  }

  stop(): void {
    this.running = false;
    for (const t of this.rounds.values()) clearTimeout(t);
    this.rounds.clear();
    this.flush();
    releaseSampler();
  }

  /**
   * Someone shows CPU/memory live (a window): every process is sampled on the default interval while at least
   * one watcher remains. Returns the function that ends this watch.
   */
  watch(): () => void {
    this.watchers++;
    if (this.watchers === 1 && this.running) {
      this.reschedule();
      void this.sampleRound([...this.watched.values()]);
    }
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.watchers--;
      if (this.watchers === 0 && this.running) this.reschedule();
    };
  }

  get watching(): boolean {
    return this.watchers > 0;
  }

  /** Samples, in one round, every process whose latest figures are older than `maxAgeMs` (for `status.get`). */
  async refresh(maxAgeMs: number): Promise<void> {
    const now = this.now();
    const due = [...this.watched.values()].filter((w) => !w.latest || now - w.latest.at > maxAgeMs);
    if (due.length > 0) await this.sampleRound(due, { request: true });
  }

  /** The latest figures, if they are recent enough to show (a process sampled long ago shows none). */
  latest(name: string): { cpu: number; memory: number } | null {
    const w = this.watched.get(name);
    const l = w?.latest;
    if (!l || this.now() - l.at > Math.max(3 * w.intervalMs, 60_000)) return null;
    return { cpu: l.cpu, memory: l.memory };
  }

  /** Stored samples (raw where still kept, minute averages before), oldest first — `metrics.get`. */
  samples(name: string, since: number): { at: number; cpu: number; memory: number }[] {
    this.flush();
    return this.repo.since(name, since).map(({ at, cpu, memory }) => ({ at, cpu, memory }));
  }

  /** Samples one process now (also what the timers call). */
  async sampleNow(name: string): Promise<void> {
    const w = this.watched.get(name);
    if (!w) return;
    // A sample started before the caller's change (a stop) may answer with the old state: wait it out, take a new one.
    while (w.inflight) await w.inflight;
    await this.sampleOnce(w);
  }

  /** One sample of `w`, unless one is already under way (a timer round does not queue behind a slow one). */
  private sampleOnce(w: Watched): Promise<void> {
    w.inflight ??= this.sample(w)
      .catch((err: Error) => this.log.warn(`sampling "${w.name}" failed: ${err.message}`, { process: w.name }))
      .finally(() => {
        w.inflight = null;
      });
    return w.inflight;
  }

  /** Processes sampled on a timer: those with limits, and every process while someone watches. */
  private active(): Watched[] {
    return [...this.watched.values()].filter((w) => w.limits !== undefined || this.watchers > 0);
  }

  /**
   * One timer per interval in use, aligned to multiples of it on the wall clock; each round samples every active
   * process of that interval from one read of the process table (50 processes cost one /proc scan, not 50).
   * Intervals no longer in use lose their timer; with nothing to sample, nothing runs.
   */
  private reschedule(): void {
    const intervals = new Set(this.active().map((w) => w.intervalMs));
    for (const [ms, t] of this.rounds) {
      if (intervals.has(ms)) continue;
      clearTimeout(t);
      this.rounds.delete(ms);
    }
    for (const ms of intervals) {
      if (this.rounds.has(ms)) continue;
      const fire = () => {
        const due = this.active().filter((w) => w.intervalMs === ms);
        void this.sampleRound(due);
        const t = setTimeout(fire, ms - (Date.now() % ms));
        t.unref();
        this.rounds.set(ms, t);
      };
      const t = setTimeout(fire, ms - (Date.now() % ms));
      t.unref();
      this.rounds.set(ms, t);
      // The first figures do not wait for the first aligned moment.
      void this.sampleRound(this.active().filter((w) => w.intervalMs === ms));
    }
  }

  /** Samples these processes together and, while someone watches, pushes their figures. */
  private async sampleRound(due: Watched[], { request = false } = {}): Promise<void> {
    if (due.length === 0) return;
    // A request wants figures taken now; a timer round skips a process whose previous sample is still under way.
    await Promise.all(due.map((w) => (request ? this.sampleNow(w.name) : this.sampleOnce(w))));
    if (request || this.watchers === 0) return;
    this.emit(
      'usage',
      due.map((w) => ({
        process: w.name,
        at: w.latest?.at ?? this.now(),
        cpu: w.latest?.cpu ?? null,
        memory: w.latest?.memory ?? null,
      })),
    );
  }

  private async sample(w: Watched): Promise<void> {
    const pgid = this.supervisor.pgidOf(w.name);
    // One table read (one pass over /proc on Linux) answers every process of a round, CPU and memory included.
    const sampled = pgid
      ? await groupUsage(await recentProcessTable({ maxAgeMs: TABLE_FRESH_MS }), pgid, w.ticks)
      : { usage: null, snapshot: null };
    const usage = sampled.usage;
    w.ticks = sampled.snapshot;
    const at = this.now();
    if (!usage) {
      w.latest = null;
      w.limitState = emptyLimitState(); // a new run starts with a clean clock
      return;
    }
    w.latest = { ...usage, at };
    this.buffer.push({ process: w.name, at, resolution: 0, ...usage });
    // Written (and the table downsampled and pruned) only while samples arrive: nothing runs at rest.
    if (this.running && !this.flushTimer) {
      this.flushTimer = setTimeout(() => this.flush(), this.opts.flushMs);
      this.flushTimer.unref();
    }
    if (!w.limits || w.acting) return;
    const { state, breach } = trackLimits(w.limitState, usage, w.limits, at);
    w.limitState = state;
    if (breach) await this.act(w, { ...breach, process: w.name, at });
  }

  private async act(w: Watched, e: LimitEvent): Promise<void> {
    const current = this.supervisor.info(w.name).state;
    this.events.recordEvent({
      process: w.name,
      at: e.at,
      from: current,
      to: current,
      reason: e.reason,
      data: { kind: 'limit', resource: e.resource, value: e.value, limit: e.limit, for_ms: e.forMs, action: e.action },
    });
    this.log.warn(`"${w.name}" ${e.reason}`, {
      process: w.name,
      resource: e.resource,
      value: e.value,
      limit: e.limit,
      action: e.action,
    });
    this.emit('limit', e);
    if (e.action === 'alert') return;
    if (this.dryRun()) {
      this.log.info(`"${w.name}": dry run, would ${e.action} it`, { process: w.name });
      w.limitState = emptyLimitState();
      return;
    }
    w.acting = true;
    try {
      if (e.action === 'restart') await this.supervisor.restart(w.name, { counted: true });
      else await this.supervisor.stop(w.name);
    } catch (err) {
      this.log.error(`limit action ${e.action} of "${w.name}" failed: ${(err as Error).message}`, { process: w.name });
    } finally {
      w.acting = false;
      w.limitState = emptyLimitState();
    }
  }

  /**
   * Writes buffered samples in one transaction; once a minute folds old raw samples and prunes. A store that
   * refuses writes (disk full) costs these samples, never the supervisor: this runs from a timer.
   */
  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    try {
      if (this.buffer.length > 0) {
        const rows = this.buffer;
        this.buffer = [];
        this.repo.insert(rows);
      }
      const now = this.now();
      if (now - this.lastMaintenance >= MAINTENANCE_EVERY_MS) {
        this.lastMaintenance = now;
        this.repo.downsample(now - this.opts.rawKeepMs);
        this.repo.prune(now - this.opts.retentionMs);
      }
    } catch (err) {
      this.log.warn(`resource samples not stored: ${(err as Error).message}`);
    }
  }
}
