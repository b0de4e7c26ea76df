/**
 * launchd StartCalendarInterval → a 5-field cron expression. Missing keys are wildcards (launchd semantics);
 * Weekday 7 is Sunday like 0. An array of intervals that differ in a single key merges into a list
 * ("0 9,17 * * *"); anything else cannot be one cron line and is reported. Pure.
 */
export type CalendarInterval = Partial<Record<'Minute' | 'Hour' | 'Day' | 'Weekday' | 'Month', number>>;

const ORDER = ['Minute', 'Hour', 'Day', 'Month', 'Weekday'] as const;
const RANGE: Record<(typeof ORDER)[number], [number, number]> = {
  Minute: [0, 59],
  Hour: [0, 23],
  Day: [1, 31],
  Month: [1, 12],
  Weekday: [0, 7],
};

function field(key: (typeof ORDER)[number], values: number[]): string {
  if (values.length === 0) return '*';
  const [lo, hi] = RANGE[key];
  for (const v of values)
    if (!Number.isInteger(v) || v < lo || v > hi)
      throw new Error(`StartCalendarInterval.${key}: expected ${lo}..${hi}, got ${v}`);
  const norm = key === 'Weekday' ? values.map((v) => (v === 7 ? 0 : v)) : values;
  return [...new Set(norm)].sort((a, b) => a - b).join(',');
}

export function calendarToCron(input: CalendarInterval | CalendarInterval[]): { cron: string; dropped: number } {
  const list = Array.isArray(input) ? input : [input];
  if (list.length === 0) throw new Error('StartCalendarInterval: expected at least one interval');
  for (const d of list)
    for (const k of Object.keys(d))
      if (!(ORDER as readonly string[]).includes(k)) throw new Error(`StartCalendarInterval: unknown key ${k}`);
  const keysOf = (d: CalendarInterval) => ORDER.filter((k) => d[k] !== undefined).join();
  const first = list[0]!;
  const differing = ORDER.filter((k) => list.some((d) => d[k] !== first[k]));
  const mergeable = list.every((d) => keysOf(d) === keysOf(first)) && differing.length <= 1;
  const used = mergeable ? list : [first];
  const cron = ORDER.map((k) =>
    field(
      k,
      used.flatMap((d) => (d[k] === undefined ? [] : [d[k]!])),
    ),
  ).join(' ');
  return { cron, dropped: list.length - used.length };
}
