/**
 * `sentinel stats` as text: the totals, then when failures happen — a row per hour of the day and per weekday
 * (the daemon's local time), each count under its label with a small bar above it so the peak stands out.
 */
import { formatDuration } from '../../core/util/duration';
import type { Stats } from '../../shared/contract';
import { localTime } from '../format';
import { plain, type Colors } from '../style';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const BARS = '▁▂▃▄▅▆▇█';

export interface StatsViewOptions {
  now: number;
  width: number;
  c?: Colors;
}

export function statsView(s: Stats, { now, width, c = plain }: StatsViewOptions): string {
  const ms = (v: number | null) => (v === null ? '-' : formatDuration(v));
  const list = (xs: Array<{ name: string; count: number }>) =>
    xs.map((x) => `${x.name} (${x.count})`).join(', ') || '-';
  const since = s.since > 0 ? ` since ${localTime(s.since, now)}` : '';
  return [
    `failures: ${s.total}${since}`,
    `MTBF: ${ms(s.mtbf_ms)}`,
    `MTTR: ${ms(s.mttr_ms)}`,
    `top kinds: ${list(s.top_kinds.map((k) => ({ name: k.kind, count: k.count })))}`,
    `by service: ${list(s.by_service.map((k) => ({ name: k.service, count: k.count })))}`,
    '',
    c.bold('by hour (local time)'),
    ...counts(
      s.by_hour.map((_, h) => String(h).padStart(2, '0')),
      s.by_hour,
      width,
      c,
    ),
    '',
    c.bold('by weekday'),
    ...counts(WEEKDAYS, s.by_weekday, width, c),
  ].join('\n');
}

const bar = (v: number, max: number): string =>
  v === 0 ? '' : BARS[Math.max(0, Math.ceil((v / max) * BARS.length) - 1)]!;

/**
 * Labels, bars and counts in right-aligned cells one space apart; split into rows of equal length when one row
 * would be wider than `width`.
 */
export function counts(
  labels: readonly string[],
  values: readonly number[],
  width: number,
  c: Colors = plain,
): string[] {
  const cell = Math.max(...labels.map((l) => l.length), ...values.map((v) => String(v).length)) + 1;
  const max = Math.max(0, ...values);
  let perRow = labels.length;
  while (perRow > 1 && perRow * cell > width) perRow = Math.ceil(perRow / 2);
  const out: string[] = [];
  for (let start = 0; start < labels.length; start += perRow) {
    const idx = labels.slice(start, start + perRow).map((_, i) => start + i);
    const row = (f: (i: number) => string, paint: (text: string, i: number) => string) =>
      idx
        .map((i) => {
          const text = f(i);
          return ' '.repeat(cell - text.length) + (text === '' ? '' : paint(text, i));
        })
        .join('')
        .trimEnd();
    out.push(row((i) => labels[i]!, c.dim));
    // A bar scaled to the busiest cell, so the peak shows at a glance (no bars when everything is zero).
    if (max > 0) out.push(row((i) => bar(values[i]!, max), c.cyan));
    out.push(
      row(
        (i) => String(values[i]!),
        (t, i) => (values[i]! === 0 ? c.dim(t) : t),
      ),
    );
  }
  return out;
}
