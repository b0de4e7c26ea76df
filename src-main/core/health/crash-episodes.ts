/**
 * Failures the supervisor and the limits see without any check: a crash loop is one failure row per episode
 * (kind `crash_loop`, turned `fatal` when the restart policy gives up), opened at the second crash in a row with
 * the last log lines and diagnostics, and closed once the process stays up `reset_after` again (or a person stops
 * it). A limit that restarts or stops a process writes a `limit` failure with the sample that crossed it. So the
 * failure history, the windows, stats and reports know about them like about any failed check.
 */
import type { FailureSummary, LogLine, ProcessInfo, TimelineEntry } from '../../shared/contract';
import type { LimitEvent } from '../limits/resource-monitor';
import type { FailuresRepo } from '../store/failures-repo';
import type { Logger } from '../util/logger';

/** Crashes in a row (without a stable run between them) that make a crash loop. */
export const CRASH_LOOP_AFTER = 2;
/**
 * Crashes of an episode with an entry each in its timeline; later ones share one rolling entry (the running count
 * and the last exit). A loop at 2 crashes a second for a day would otherwise grow one row by 170,000 entries,
 * rewritten whole at every crash: CPU and memory that grow with the episode's age.
 */
export const TIMELINE_CRASHES = 20;
/** The event of that rolling entry. */
export const MORE_CRASHES = 'more crashes';
/**
 * The rolling entry is written at most this often (and at once when the episode closes or gives up): past the
 * first crashes, a loop costs one small write per interval, not a read-modify-write and an event per crash.
 */
export const ROLLING_EVERY_MS = 5_000;
const LOG_LINES = 50;

export interface CrashEpisodeDeps {
  failures: FailuresRepo;
  now: () => number;
  logger: Logger;
  /** The newest captured lines of a process, oldest first. */
  lastLogs(process: string, limit: number): LogLine[];
  /** How long a run must last to count as stable again (the process's restart.reset_after). */
  resetAfter(process: string): number | undefined;
  diagnose?: (process: string, pids: number[], sinceMs: number) => Promise<Record<string, unknown>>;
  dryRun: () => boolean;
  onCreated(f: FailureSummary): void;
  onUpdated(f: FailureSummary): void;
}

interface Episode {
  id: number | null;
  crashes: number;
  startedAt: number;
  stableTimer?: NodeJS.Timeout;
  /** The rolling entry not written yet, and the timer that writes it. */
  rolling?: TimelineEntry;
  rollingTimer?: NodeJS.Timeout;
}

export class CrashEpisodes {
  private readonly episodes = new Map<string, Episode>();
  private stopped = false;

  constructor(private readonly d: CrashEpisodeDeps) {}

  /** Every process.changed of the supervisor. Never throws: it runs inside the supervisor's state change. */
  onProcess(info: ProcessInfo): void {
    if (this.stopped) return;
    try {
      this.follow(info);
    } catch (err) {
      this.d.logger.warn('crash episode bookkeeping failed', { process: info.name, error: (err as Error).message });
    }
  }

  private follow(info: ProcessInfo): void {
    const ep = this.episodes.get(info.name);
    if (info.state === 'backoff' || info.state === 'fatal') {
      const e = ep ?? { id: null, crashes: 0, startedAt: this.d.now() };
      clearTimeout(e.stableTimer);
      e.crashes++;
      this.episodes.set(info.name, e);
      if (e.id === null && (e.crashes >= CRASH_LOOP_AFTER || info.state === 'fatal')) this.open(info, e);
      else if (e.id !== null) this.note(info, e);
      if (info.state === 'fatal' && e.id !== null) this.giveUp(info, e);
    } else if (info.state === 'running' && ep) {
      clearTimeout(ep.stableTimer);
      const stableAfter = this.d.resetAfter(info.name) ?? 30_000;
      ep.stableTimer = setTimeout(() => this.close(info.name, 'stable again', true), stableAfter);
      ep.stableTimer.unref();
    } else if ((info.state === 'stopped' || info.state === 'stopping') && ep) {
      this.close(info.name, 'stopped', false);
    }
  }

  /** A limit acted (or would have, in dry run): one failure with the sample that crossed it. */
  onLimit(e: LimitEvent): void {
    if (this.stopped || e.action === 'alert') return;
    const at = this.d.now();
    const dry = this.d.dryRun();
    this.write(() => {
      const created = this.d.failures.insert({
        service: e.process,
        kind: 'limit',
        started_at: at,
        detected_by: `limits.${e.resource}`,
        reason: e.reason,
        checks: [],
        upstream_down: false,
        timeline: [{ at, event: 'limit crossed', detail: e.reason }],
      });
      const updated = this.d.failures.update(created.id, {
        diagnostics: {
          sample: { resource: e.resource, value: e.value, limit: e.limit, for_ms: e.forMs, at: e.at },
          last_log_lines: this.lines(e.process),
        },
        restart_attempted: !dry && e.action === 'restart',
        outcome: dry
          ? `dry run: would ${e.action}`
          : e.action === 'restart'
            ? 'restarted by its limit'
            : 'stopped by its limit',
        append: [{ at, event: dry ? 'dry run' : e.action, detail: dry ? `would ${e.action}` : `${e.action} by limit` }],
      });
      this.d.onCreated(updated);
    });
  }

  /** Writes what is pending (the count of a loop still going on: a restarted daemon opens a new episode). */
  stop(): void {
    for (const e of this.episodes.values()) {
      clearTimeout(e.stableTimer);
      this.writeRolling(e);
    }
    this.stopped = true;
  }

  private open(info: ProcessInfo, e: Episode): void {
    const at = this.d.now();
    this.write(() => {
      const f = this.d.failures.insert({
        service: info.name,
        kind: 'crash_loop',
        started_at: e.startedAt,
        detected_by: 'supervisor',
        reason: `crash loop: ${e.crashes} crashes in a row (${info.reason ?? exitOf(info)})`,
        checks: [],
        upstream_down: false,
        timeline: [{ at, event: 'crash loop', detail: info.reason ?? exitOf(info) }],
      });
      e.id = f.id;
      const updated = this.d.failures.update(f.id, {
        diagnostics: {
          last_exit: { code: info.last_exit_code, signal: info.last_signal },
          last_log_lines: this.lines(info.name),
        },
        restart_attempted: info.state === 'backoff',
      });
      this.d.onCreated(updated);
    });
    if (this.d.diagnose && e.id !== null) {
      const id = e.id;
      const diagnose = this.d.diagnose;
      // Later, never inside the supervisor's state change.
      Promise.resolve()
        .then(() => diagnose(info.name, [], e.startedAt - 60_000))
        .then((diagnostics) => {
          if (this.stopped) return;
          this.write(() => {
            const last = this.lines(info.name);
            this.d.onUpdated(this.d.failures.update(id, { diagnostics: { ...diagnostics, last_log_lines: last } }));
          });
        })
        .catch(() => {});
    }
  }

  private note(info: ProcessInfo, e: Episode): void {
    if (e.id === null || info.state !== 'backoff') return;
    const id = e.id;
    const at = this.d.now();
    const detail = info.reason ?? exitOf(info);
    if (e.crashes <= TIMELINE_CRASHES) {
      this.write(() =>
        this.d.onUpdated(this.d.failures.update(id, { append: [{ at, event: `crash ${e.crashes}`, detail }] })),
      );
      return;
    }
    e.rolling = {
      at,
      event: MORE_CRASHES,
      detail: `crashes ${TIMELINE_CRASHES + 1}–${e.crashes}, the last: ${detail}`,
    };
    if (e.rollingTimer) return;
    e.rollingTimer = setTimeout(() => this.writeRolling(e), ROLLING_EVERY_MS);
    e.rollingTimer.unref();
  }

  /** Writes the episode's pending rolling entry, if any (before anything that follows it in the timeline). */
  private writeRolling(e: Episode): void {
    clearTimeout(e.rollingTimer);
    e.rollingTimer = undefined;
    const rolling = e.rolling;
    e.rolling = undefined;
    if (!rolling || e.id === null) return;
    const id = e.id;
    this.write(() => this.d.onUpdated(this.d.failures.update(id, { rolling })));
  }

  private giveUp(info: ProcessInfo, e: Episode): void {
    this.writeRolling(e);
    const id = e.id!;
    this.write(() =>
      this.d.onUpdated(
        this.d.failures.update(id, {
          kind: 'fatal',
          restart_successful: false,
          outcome: `gave up: ${info.reason ?? exitOf(info)}`,
          append: [{ at: this.d.now(), event: 'gave up', detail: info.reason ?? exitOf(info) }],
        }),
      ),
    );
  }

  private close(name: string, outcome: string, recovered: boolean): void {
    const e = this.episodes.get(name);
    if (!e) return;
    clearTimeout(e.stableTimer);
    this.episodes.delete(name);
    if (e.id === null || this.stopped) return;
    this.writeRolling(e);
    const id = e.id;
    const at = this.d.now();
    this.write(() =>
      this.d.onUpdated(
        this.d.failures.update(id, {
          ...(recovered ? { recovered_at: at, time_to_recover_ms: at - e.startedAt, restart_successful: true } : {}),
          outcome,
          append: [{ at, event: recovered ? 'recovered' : 'closed', detail: outcome }],
        }),
      ),
    );
  }

  private lines(name: string): string[] {
    try {
      return this.d.lastLogs(name, LOG_LINES).map((l) => `${l.stream} ${l.line}`);
    } catch {
      return [];
    }
  }

  /** A store that refuses writes costs the record, never the supervision. */
  private write(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.d.logger.warn('could not record a failure', { error: (err as Error).message });
    }
  }
}

function exitOf(info: ProcessInfo): string {
  return info.last_signal ? `killed by ${info.last_signal}` : `exited with code ${info.last_exit_code}`;
}
