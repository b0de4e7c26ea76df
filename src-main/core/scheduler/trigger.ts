/**
 * When does a schedule fire next? One `Trigger` per schedule kind:
 * - cron: node-cron 4's matcher (5 or 6 fields, optional timezone), computed from the current wall clock;
 * - every: anchored to a start time (anchor + k·interval), so late timers never accumulate drift;
 * - at: a single instant.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { ScheduleSpec } from '../config/schema';

export interface Trigger {
  /** The first fire time strictly after `now`, or null when there is none (a one-shot in the past). */
  next(now: number): number | null;
  dispose(): void;
}

export class ScheduleError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'ScheduleError';
  }
}

/** Throws a ScheduleError naming the field when the cron expression or the timezone is not usable. */
export function validateSchedule(s: Pick<ScheduleSpec, 'cron' | 'timezone' | 'at' | 'every'>): void {
  if (s.timezone !== undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: s.timezone });
    } catch {
      throw new ScheduleError(
        'schedule.timezone',
        `expected an IANA time zone like "Europe/Berlin", got ${JSON.stringify(s.timezone)}`,
      );
    }
  }
  for (const expression of s.cron === undefined ? [] : cronList(s.cron)) {
    const v = cron.validateDetailed(expression.trim());
    if (!v.valid) {
      const why = v.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
      throw new ScheduleError(
        'schedule.cron',
        `expected a cron expression with 5 or 6 fields, got ${JSON.stringify(expression)} (${why})`,
      );
    }
  }
  if (s.every !== undefined && s.every <= 0) throw new ScheduleError('schedule.every', 'expected a positive interval');
  if (s.at !== undefined && Number.isNaN(Date.parse(s.at)))
    throw new ScheduleError('schedule.at', `expected a date-time, got ${JSON.stringify(s.at)}`);
}

export function createTrigger(s: ScheduleSpec, anchor: number): Trigger {
  validateSchedule(s);
  if (s.every !== undefined) return everyTrigger(s.every, anchor);
  if (s.at !== undefined) return atTrigger(Date.parse(s.at));
  if (s.cron !== undefined) return anyTrigger(cronList(s.cron).map((c) => cronTrigger(c.trim(), s.timezone)));
  throw new ScheduleError('schedule', 'expected exactly one of cron, every or at');
}

/** Pure: the first anchor + k·interval strictly after now (k ≥ 1). */
export function nextEvery(anchor: number, interval: number, now: number): number {
  if (now < anchor) return anchor + interval;
  const k = Math.floor((now - anchor) / interval) + 1;
  return anchor + k * interval;
}

function everyTrigger(interval: number, anchor: number): Trigger {
  return { next: (now) => nextEvery(anchor, interval, now), dispose() {} };
}

function atTrigger(at: number): Trigger {
  return { next: (now) => (at > now ? at : null), dispose() {} };
}

/** `cron` is one expression or a list of them. */
export function cronList(c: string | readonly string[]): readonly string[] {
  return typeof c === 'string' ? [c] : c;
}

/** Several triggers as one: the earliest next time of any. */
function anyTrigger(triggers: Trigger[]): Trigger {
  if (triggers.length === 1) return triggers[0]!;
  return {
    next: (now) => {
      const times = triggers.map((t) => t.next(now)).filter((t): t is number => t !== null);
      return times.length > 0 ? Math.min(...times) : null;
    },
    dispose: () => triggers.forEach((t) => t.dispose()),
  };
}

function cronTrigger(expression: string, timezone: string | undefined): Trigger {
  // The task is never started: we only use its matcher. Sentinel arms its own timer so that the persisted
  // next_run, overlap and catch-up work the same for every schedule kind.
  const task: ScheduledTask = cron.createTask(expression, () => undefined, {
    timezone,
    name: `sentinel:${expression}`,
  });
  return {
    next: (now) => {
      // getNextRuns counts from the real clock; step past `now` in case the caller's now is slightly ahead.
      const runs = task.getNextRuns(3).map((d) => d.getTime());
      return runs.find((t) => t > now) ?? null;
    },
    dispose: () => void task.destroy(),
  };
}
