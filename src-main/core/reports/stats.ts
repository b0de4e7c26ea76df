/**
 * Failure statistics for the stats window and `sentinel stats`: when failures happen (hour of day, weekday),
 * how often (MTBF), how fast Sentinel recovers (MTTR), and what fails. Pure: the caller passes the failures.
 */
import type { FailureSummary, Stats } from '../../shared/contract';

export interface StatsOptions {
  /** Epoch ms; failures that started before are ignored. */
  since: number;
  /** Epoch ms; failures that started after are ignored. */
  now: number;
  /** IANA zone for hour/weekday buckets; default: the machine's local zone. */
  timeZone?: string;
}

/** How many kinds `top_kinds` lists. */
export const TOP_KINDS = 10;

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** At most this many days in `by_day` (a year and a day: "all time" over a long history keeps its latest year). */
export const MAX_DAYS = 366;
const DAY_MS = 86_400_000;

/** Hour (0–23), weekday (Sunday = 0) and calendar day (YYYY-MM-DD) of an instant in a time zone. */
function calendarBucketer(
  timeZone: string | undefined,
): (at: number) => { hour: number; weekday: number; day: string } {
  let format: Intl.DateTimeFormat;
  let dayFormat: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23', weekday: 'short' });
    // en-CA formats a date as YYYY-MM-DD.
    dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  } catch {
    throw new RangeError(
      `stats: timeZone "${timeZone}" is not an IANA time zone (expected e.g. "UTC" or "Europe/Berlin")`,
    );
  }
  return (at) => {
    const parts = format.formatToParts(at);
    const hour = Number(parts.find((p) => p.type === 'hour')!.value) % 24;
    const weekday = WEEKDAYS[parts.find((p) => p.type === 'weekday')!.value]!;
    return { hour, weekday, day: dayFormat.format(at) };
  };
}

/**
 * Every calendar day from `from` (the range's start, or the first failure for all time) to `now`, with its count: a daily
 * timeline with its quiet days in it. Days are stepped in 12-hour halves so a daylight-saving change never skips one.
 */
function dailyCounts(
  days: string[],
  from: number,
  now: number,
  dayOf: (at: number) => string,
): Array<{ day: string; count: number }> {
  const counts = new Map<string, number>();
  for (const d of days) counts.set(d, (counts.get(d) ?? 0) + 1);
  const start = Math.max(from, now - (MAX_DAYS - 1) * DAY_MS);
  const out: Array<{ day: string; count: number }> = [];
  for (let at = start; ; at += DAY_MS / 2) {
    const day = dayOf(Math.min(at, now));
    if (out[out.length - 1]?.day !== day) out.push({ day, count: counts.get(day) ?? 0 });
    if (at >= now) break;
  }
  return out.slice(-MAX_DAYS);
}

const mean = (xs: number[]): number | null =>
  xs.length ? Math.round(xs.reduce((a, b) => a + b, 0) / xs.length) : null;

/** Counts by key, most frequent first, ties by name so the order is stable. */
function ranked(keys: string[]): Array<{ key: string; count: number }> {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

/** Mean gap between consecutive failure starts of each service, averaged over services with at least two. */
export function meanTimeBetweenFailures(failures: Pick<FailureSummary, 'service' | 'started_at'>[]): number | null {
  const starts = new Map<string, number[]>();
  for (const f of failures) starts.set(f.service, [...(starts.get(f.service) ?? []), f.started_at]);
  const perService: number[] = [];
  for (const times of starts.values()) {
    if (times.length < 2) continue;
    times.sort((a, b) => a - b);
    perService.push((times[times.length - 1]! - times[0]!) / (times.length - 1));
  }
  return mean(perService);
}

/** Mean time to recover over the failures that did recover. */
export function meanTimeToRecover(
  failures: Pick<FailureSummary, 'started_at' | 'recovered_at' | 'time_to_recover_ms'>[],
): number | null {
  const durations = failures
    .map((f) => f.time_to_recover_ms ?? (f.recovered_at !== null ? f.recovered_at - f.started_at : null))
    .filter((d): d is number => d !== null && d >= 0);
  return mean(durations);
}

export function computeStats(failures: FailureSummary[], { since, now, timeZone }: StatsOptions): Stats {
  if (!Number.isFinite(since) || !Number.isFinite(now))
    throw new RangeError('stats: since and now must be epoch milliseconds');
  if (since > now) throw new RangeError(`stats: since (${since}) is after now (${now})`);
  const bucket = calendarBucketer(timeZone);
  const inWindow = failures.filter((f) => f.started_at >= since && f.started_at <= now);
  const by_hour = new Array<number>(24).fill(0);
  const by_weekday = new Array<number>(7).fill(0);
  const days: string[] = [];
  for (const f of inWindow) {
    const { hour, weekday, day } = bucket(f.started_at);
    by_hour[hour]!++;
    by_weekday[weekday]!++;
    days.push(day);
  }
  const first = inWindow.reduce((m, f) => Math.min(m, f.started_at), now);
  return {
    since,
    total: inWindow.length,
    by_hour,
    by_weekday,
    mtbf_ms: meanTimeBetweenFailures(inWindow),
    mttr_ms: meanTimeToRecover(inWindow),
    top_kinds: ranked(inWindow.map((f) => f.kind))
      .slice(0, TOP_KINDS)
      .map(({ key, count }) => ({ kind: key, count })),
    by_service: ranked(inWindow.map((f) => f.service)).map(({ key, count }) => ({ service: key, count })),
    // A range ("last 7 days") shows each of its days; all time starts at the first failure.
    by_day: dailyCounts(days, since > 0 ? since : first, now, (at) => bucket(at).day),
  };
}
