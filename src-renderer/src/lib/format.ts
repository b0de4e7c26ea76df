/** Pure display helpers shared by the views. */

export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

export function formatBytes(n: number | null): string {
  if (n === null) return '—';
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 && i > 0 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

export function formatCpu(cpu: number | null): string {
  return cpu === null ? '—' : `${cpu.toFixed(1)} %`;
}

/** "next attempt in 45 s" while a process backs off; null when no attempt is pending. */
export function nextAttemptText(nextAttemptAt: number | null, now: number): string | null {
  if (nextAttemptAt === null) return null;
  const s = Math.max(0, Math.ceil((nextAttemptAt - now) / 1000));
  return `next attempt in ${s} s`;
}

/** Compiles a user's filter; an invalid pattern is reported, not thrown. */
export function compileFilter(pattern: string): { re: RegExp | null; error: string | null } {
  if (!pattern) return { re: null, error: null };
  try {
    return { re: new RegExp(pattern), error: null };
  } catch (err) {
    return { re: null, error: (err as Error).message };
  }
}

const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });
const STEPS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Infinity],
];

/** "2 min ago", "in 4 sec", "yesterday": the time as a person reads it; the exact local time goes in a tooltip. */
export function relativeTime(at: number | null, now: number): string {
  if (at === null) return '—';
  let v = (at - now) / 1000;
  if (Math.abs(v) < 5) return 'now';
  for (const [unit, size] of STEPS) {
    if (Math.abs(v) < size) return rtf.format(Math.round(v), unit);
    v /= size;
  }
  return rtf.format(Math.round(v), 'year');
}

/** hh:mm:ss in local time, for log lines and "last updated". */
export function clockTime(at: number): string {
  return new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** A log line's time: hh:mm:ss today, "12 Nov hh:mm:ss" on another day. */
export function logTime(at: number, now: number): string {
  const d = new Date(at);
  const sameDay = new Date(now).toDateString() === d.toDateString();
  return sameDay
    ? clockTime(at)
    : `${d.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })} ${clockTime(at)}`;
}

/** "+1.2 s" from the start of a failure, for its timeline. */
export function offsetText(ms: number): string {
  if (ms < 1000) return `+${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `+${(ms / 1000).toFixed(1)} s`;
  return `+${formatDuration(ms)}`;
}

/** The uptime or countdown shown beside a process's state in one short phrase. */
export function processDetail(
  p: { state: string; started_at: number | null; uptime_ms: number | null; next_attempt_at: number | null },
  now: number,
): string | null {
  if (p.state === 'backoff') return nextAttemptText(p.next_attempt_at, now);
  if (p.state === 'running' && p.started_at !== null) return `up ${formatDuration(now - p.started_at)}`;
  return null;
}

export type SortDir = 'asc' | 'desc';

/** A stable sort by one key; nulls last whatever the direction (a missing figure is not "smallest"). */
export function sortBy<T>(items: readonly T[], key: (t: T) => string | number | null, dir: SortDir): T[] {
  const sign = dir === 'asc' ? 1 : -1;
  return items
    .map((item, i) => ({ item, i, k: key(item) }))
    .sort((a, b) => {
      if (a.k === null || b.k === null) return a.k === b.k ? a.i - b.i : a.k === null ? 1 : -1;
      const c = typeof a.k === 'number' && typeof b.k === 'number' ? a.k - b.k : String(a.k).localeCompare(String(b.k));
      return c !== 0 ? sign * c : a.i - b.i;
    })
    .map((x) => x.item);
}
