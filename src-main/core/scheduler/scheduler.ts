/**
 * Starts scheduled processes (the supervisor never autostarts them) on cron, `every` or `at` schedules.
 * One timer per schedule armed at its next fire time; the row in `schedules` keeps next/last run and counters so
 * a one-shot survives a restart and a run missed during downtime or sleep can be caught up (coalesced).
 */
import { EventEmitter } from 'node:events';
import type { ProcessSpec, ScheduleSpec } from '../config/schema';
import type { Db } from '../store/db';
import { schedulesRepo, type SchedulesRepo } from '../store/schedules-repo';
import type { Logger } from '../util/logger';
import { catchUpDecision } from './catch-up';
import { ClockJumpDetector } from './clock-jump';
import { describeSchedule } from './describe';
import { LIVE_STATES } from '../../shared/states';
import type { ExitEvent, ProcessRunner } from './process-runner';
import { createTrigger, type Trigger } from './trigger';

export type FireAction = 'started' | 'skipped' | 'queued' | 'restarted';
export interface FiredEvent {
  process: string;
  at: number;
  action: FireAction;
}

export interface ScheduleListItem {
  process: string;
  description: string;
  enabled: boolean;
  next_run: number | null;
  last_run: number | null;
  runs: number;
  skipped: number;
}

export interface ScheduleInfo {
  enabled: boolean;
  next_run: number | null;
  last_run: number | null;
  description: string;
}

export interface SchedulerOptions {
  db: Db;
  supervisor: ProcessRunner;
  logger: Logger;
  now?: () => number;
  /** A timer firing later than this counts as a missed run (asleep, suspended). */
  lateGraceMs?: number;
  clockCheckMs?: number;
}

interface Entry {
  name: string;
  schedule: ScheduleSpec;
  specJson: string;
  trigger: Trigger;
  nextRun: number | null;
  timer?: NodeJS.Timeout;
  queued: boolean;
}

/** setTimeout cannot wait longer than 2^31-1 ms; longer waits re-arm. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class Scheduler extends EventEmitter<{ fired: [FiredEvent] }> {
  private readonly repo: SchedulesRepo;
  private readonly supervisor: ProcessRunner;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly lateGraceMs: number;
  private readonly clock: ClockJumpDetector;
  private readonly entries = new Map<string, Entry>();
  private running = false;
  private readonly onExit = (e: ExitEvent) => this.startQueued(e.name);

  constructor(opts: SchedulerOptions) {
    super();
    this.repo = schedulesRepo(opts.db);
    this.supervisor = opts.supervisor;
    this.log = opts.logger.child('scheduler');
    this.now = opts.now ?? Date.now;
    this.lateGraceMs = opts.lateGraceMs ?? 2_000;
    this.clock = new ClockJumpDetector(opts.clockCheckMs ?? 5_000, 3_000, this.now);
    this.clock.on('jump', (drift) => {
      this.log.info('clock jump (sleep or clock change), looking for missed runs', { drift_ms: drift });
      for (const e of this.entries.values()) this.handleMissed(e);
    });
  }

  /** Replaces the set of scheduled processes. A schedule whose spec is unchanged keeps its timer and state. */
  setSpecs(processes: readonly ProcessSpec[]): void {
    const wanted = new Map(processes.filter((p) => p.schedule).map((p) => [p.name, p.schedule!] as const));
    for (const [name, e] of this.entries) {
      const s = wanted.get(name);
      if (!s || JSON.stringify(s) !== e.specJson) this.drop(name);
    }
    for (const [name, schedule] of wanted) {
      if (this.entries.has(name)) continue;
      const specJson = JSON.stringify(schedule);
      let trigger: Trigger;
      try {
        trigger = createTrigger(schedule, this.now());
      } catch (err) {
        // A bad schedule disables that one process's schedule; it never stops the supervisor.
        this.log.error(`schedule of "${name}" refused: ${(err as Error).message}`, { process: name });
        continue;
      }
      const row = this.repo.get(name);
      if (!row || row.spec_json !== specJson) {
        // A new or edited schedule starts from the config's `enabled`; a one-shot that already ran stays done
        // only while its spec is unchanged.
        this.repo.upsertSpec(name, specJson, schedule.enabled);
        if (row) this.repo.setNextRun(name, null);
      }
      const entry: Entry = { name, schedule, specJson, trigger, nextRun: null, queued: false };
      this.entries.set(name, entry);
      if (this.running) this.arm(entry);
    }
    this.repo.retain([...wanted.keys()]);
  }

  /** Catches up runs missed while down (per `catch_up`), then arms every timer. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.supervisor.on('exit', this.onExit);
    for (const e of this.entries.values()) {
      e.nextRun = this.repo.get(e.name)?.next_run ?? null;
      if (this.handleMissed(e)) continue;
      // An interval keeps its grid across a restart of Sentinel: re-anchor on the persisted next run.
      if (e.schedule.every !== undefined && e.nextRun !== null && e.nextRun > this.now()) {
        e.trigger.dispose();
        e.trigger = createTrigger(e.schedule, e.nextRun - e.schedule.every);
      }
      this.arm(e);
    }
    this.clock.start();
  }

  stop(): void {
    this.running = false;
    this.clock.stop();
    this.supervisor.off('exit', this.onExit);
    for (const e of this.entries.values()) clearTimeout(e.timer);
  }

  /** Stops and forgets everything (timers and cron matchers). */
  dispose(): void {
    this.stop();
    for (const name of [...this.entries.keys()]) this.drop(name);
  }

  setEnabled(process: string, enabled: boolean): boolean {
    const e = this.entries.get(process);
    if (!e) return false;
    this.repo.setEnabled(process, enabled);
    if (this.running) this.arm(e);
    return true;
  }

  info(name: string): ScheduleInfo | null {
    const e = this.entries.get(name);
    const row = this.repo.get(name);
    if (!e || !row) return null;
    return {
      enabled: row.enabled,
      next_run: row.enabled ? row.next_run : null,
      last_run: row.last_run,
      description: describeSchedule(e.schedule),
    };
  }

  list(): ScheduleListItem[] {
    return [...this.entries.values()].flatMap((e) => {
      const row = this.repo.get(e.name);
      if (!row) return [];
      const { enabled, next_run, last_run, runs, skipped } = row;
      return [
        {
          process: e.name,
          description: describeSchedule(e.schedule),
          enabled,
          next_run: enabled ? next_run : null,
          last_run,
          runs,
          skipped,
        },
      ];
    });
  }

  private drop(name: string): void {
    const e = this.entries.get(name);
    if (!e) return;
    clearTimeout(e.timer);
    e.trigger.dispose();
    this.entries.delete(name);
  }

  private enabled(name: string): boolean {
    return this.repo.get(name)?.enabled ?? false;
  }

  /** Arms the timer for the next fire time after now (or clears it when disabled or nothing is left). */
  /**
   * `after`: the next run is the first one after this time. A fire passes its own time, so bookkeeping that took
   * long (a slow store write) makes the next run late instead of skipping it.
   */
  private arm(e: Entry, after: number = this.now()): void {
    clearTimeout(e.timer);
    e.timer = undefined;
    e.nextRun = this.enabled(e.name) ? e.trigger.next(after) : null;
    this.repo.setNextRun(e.name, e.nextRun);
    if (e.nextRun === null) return;
    const due = e.nextRun;
    const wait = Math.min(Math.max(0, due - this.now()), MAX_TIMER_MS);
    e.timer = setTimeout(() => this.onTimer(e, due), wait);
  }

  private onTimer(e: Entry, due: number): void {
    if (this.entries.get(e.name) !== e || !this.running) return;
    try {
      const now = this.now();
      if (now < due) return this.arm(e); // a long wait cut at MAX_TIMER_MS, or the clock was set back
      if (this.handleMissed(e)) return;
      this.fire(e, 'timer').catch((err: Error) =>
        this.log.error(`schedule of "${e.name}" failed: ${err.message}`, { process: e.name }),
      );
    } catch (err) {
      // A store that refuses writes (disk full) must not take the supervisor down from a timer.
      this.log.error(`schedule of "${e.name}" failed: ${(err as Error).message}`, { process: e.name });
    }
  }

  /** If the armed run is overdue beyond the grace: run once or skip per catch_up. Returns true when handled. */
  private handleMissed(e: Entry): boolean {
    if (!this.running || !this.enabled(e.name)) return false;
    const decision = catchUpDecision(e.schedule.catch_up, e.nextRun, this.now(), this.lateGraceMs);
    if (decision === 'none') return false;
    this.log.info(
      `"${e.name}" missed its run at ${new Date(e.nextRun!).toISOString()}: ${decision === 'run' ? 'catching up once' : 'skipped (catch_up: none)'}`,
    );
    if (decision === 'run') void this.fire(e, 'catch-up');
    else {
      this.repo.recordSkip(e.name);
      this.emit('fired', { process: e.name, at: this.now(), action: 'skipped' });
      this.afterFire(e, this.now());
    }
    return true;
  }

  private async fire(e: Entry, why: 'timer' | 'catch-up'): Promise<void> {
    const at = this.now();
    let action: FireAction;
    const live = LIVE_STATES.has(this.supervisor.info(e.name).state);
    if (!live) action = 'started';
    else if (e.schedule.overlap === 'queue') action = 'queued';
    else if (e.schedule.overlap === 'restart') action = 'restarted';
    else action = 'skipped';

    if (action === 'skipped') this.repo.recordSkip(e.name);
    else if (action === 'queued') e.queued = true;
    else this.repo.recordRun(e.name, at);
    this.afterFire(e, at);
    this.log.debug(`"${e.name}" ${action} (${why})`);
    this.emit('fired', { process: e.name, at, action });
    try {
      if (action === 'started') await this.supervisor.start(e.name);
      else if (action === 'restarted') await this.supervisor.restart(e.name);
    } catch (err) {
      this.log.error(
        `scheduled ${action === 'started' ? 'start' : 'restart'} of "${e.name}" failed: ${(err as Error).message}`,
        { process: e.name },
      );
    }
  }

  /** A one-shot is done once it ran (or was skipped); every other schedule re-arms. */
  private afterFire(e: Entry, at: number): void {
    if (e.schedule.at !== undefined) this.repo.setEnabled(e.name, false);
    this.arm(e, at);
  }

  private startQueued(name: string): void {
    const e = this.entries.get(name);
    if (!e?.queued) return;
    e.queued = false;
    const at = this.now();
    this.repo.recordRun(name, at);
    this.emit('fired', { process: name, at, action: 'started' });
    this.supervisor
      .start(name)
      .catch((err: Error) => this.log.error(`queued start of "${name}" failed: ${err.message}`, { process: name }));
  }
}
