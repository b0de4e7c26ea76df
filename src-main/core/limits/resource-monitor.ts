/**
 * Samples CPU and memory of every supervised process's whole group, keeps the latest values for `status`,
 * stores samples in the bounded `metrics` table (raw → minute averages → pruned), and enforces `limits`:
 * over a limit continuously for `for` → restart, stop or alert, with the reason stored as a process event.
 */
import { EventEmitter } from 'node:events';
import type { LimitsSpec, ProcessSpec } from '../config/schema';
import type { Db } from '../store/db';
import { metricsRepo, type MetricRow, type MetricsRepo } from '../store/metrics-repo';
import { RunsRepo } from '../store/runs-repo';
import type { Logger } from '../util/logger';
import type { ProcessRunner } from '../scheduler/process-runner';
import { groupUsage, releaseSampler, type GroupUsage } from './group-usage';
import { pidsInGroup, recentProcessTable } from '../../platform/process-table';
import { emptyLimitState, trackLimits, type Breach, type LimitState } from './limit-tracker';

export interface LimitEvent extends Breach {
  process: string;
  at: number;
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
  /** How often buffered samples are written and the table is downsampled and pruned. */
  flushMs?: number;
  /** Dry run: a limit is recorded and logged, the restart or stop is only said. */
  dryRun?: () => boolean;
}

interface Watched {
  name: string;
  limits: LimitsSpec | undefined;
  intervalMs: number;
  timer?: NodeJS.Timeout;
  busy: boolean;
  acting: boolean;
  limitState: LimitState;
  latest: (GroupUsage & { at: number }) | null;
}

const MAINTENANCE_EVERY_MS = 60_000;
const TABLE_FRESH_MS = 50;

export class ResourceMonitor extends EventEmitter<{ limit: [LimitEvent] }> {
  private readonly repo: MetricsRepo;
  private readonly events: RunsRepo;
  private readonly supervisor: ProcessRunner;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly opts: Required<
    Pick<ResourceMonitorOptions, 'defaultIntervalMs' | 'rawKeepMs' | 'retentionMs' | 'flushMs'>
  >;
  private readonly watched = new Map<string, Watched>();
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
    for (const [name, w] of this.watched) {
      if (!names.has(name)) {
        clearInterval(w.timer);
        this.watched.delete(name);
      }
    }
    for (const p of processes) {
      const intervalMs = p.limits?.sample_interval ?? this.opts.defaultIntervalMs;
      const prev = this.watched.get(p.name);
      if (prev && prev.intervalMs === intervalMs) {
        if (JSON.stringify(prev.limits) !== JSON.stringify(p.limits)) prev.limitState = emptyLimitState();
        prev.limits = p.limits;
        continue;
      }
      clearInterval(prev?.timer);
      const w: Watched = {
        name: p.name,
        limits: p.limits,
        intervalMs,
        busy: false,
        acting: false,
        limitState: emptyLimitState(),
        latest: prev?.latest ?? null,
      };
      this.watched.set(p.name, w);
      if (this.running) this.schedule(w);
    }
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    for (const w of this.watched.values()) this.schedule(w);
    this.flushTimer = setInterval(() => this.flush(), this.opts.flushMs);
    this.flushTimer.unref();
  }

  stop(): void {
    this.running = false;
    for (const w of this.watched.values()) clearInterval(w.timer);
    clearInterval(this.flushTimer);
    this.flush();
    releaseSampler();
  }

  latest(name: string): { cpu: number; memory: number } | null {
    const l = this.watched.get(name)?.latest;
    return l ? { cpu: l.cpu, memory: l.memory } : null;
  }

  /** Stored samples (raw where still kept, minute averages before), oldest first — `metrics.get`. */
  samples(name: string, since: number): { at: number; cpu: number; memory: number }[] {
    this.flush();
    return this.repo.since(name, since).map(({ at, cpu, memory }) => ({ at, cpu, memory }));
  }

  /** Samples one process now (also what the timers call). */
  async sampleNow(name: string): Promise<void> {
    const w = this.watched.get(name);
    if (!w || w.busy) return;
    w.busy = true;
    try {
      await this.sample(w);
    } catch (err) {
      this.log.warn(`sampling "${name}" failed: ${(err as Error).message}`, { process: name });
    } finally {
      w.busy = false;
    }
  }

  /**
   * Timers are aligned to multiples of their interval on the wall clock, so every process sampled at the same
   * interval is sampled in the same moment and one read of the process table serves them all (50 processes cost
   * one /proc scan per round, not 50).
   */
  private schedule(w: Watched): void {
    clearInterval(w.timer);
    const phase = w.intervalMs - (Date.now() % w.intervalMs);
    w.timer = setTimeout(() => {
      void this.sampleNow(w.name);
      w.timer = setInterval(() => void this.sampleNow(w.name), w.intervalMs);
      w.timer.unref();
    }, phase);
    w.timer.unref();
    void this.sampleNow(w.name);
  }

  private async sample(w: Watched): Promise<void> {
    const pgid = this.supervisor.pgidOf(w.name);
    const usage = pgid
      ? await groupUsage(pidsInGroup(await recentProcessTable({ maxAgeMs: TABLE_FRESH_MS }), pgid))
      : null;
    const at = this.now();
    if (!usage) {
      w.latest = null;
      w.limitState = emptyLimitState(); // a new run starts with a clean clock
      return;
    }
    w.latest = { ...usage, at };
    this.buffer.push({ process: w.name, at, resolution: 0, ...usage });
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
