/**
 * launchd StartCalendarInterval → 5-field cron expressions. Missing keys are wildcards (launchd semantics);
 * Weekday 7 is Sunday like 0. Pure.
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

/**
 * Every interval of the dict or array as cron lines: one line when the intervals differ in a single key (merged
 * into a list), else one line per interval — launchd fires at each of them, and a Sentinel schedule can carry a
 * list of cron expressions.
 */
export function calendarToCron(input: CalendarInterval | CalendarInterval[]): string[] {
  const list = Array.isArray(input) ? input : [input];
  if (list.length === 0) throw new Error('StartCalendarInterval: expected at least one interval');
  for (const d of list) {
    if (typeof d !== 'object' || d === null)
      throw new Error('StartCalendarInterval: expected a dict of Minute, Hour, Day, Weekday, Month');
    for (const k of Object.keys(d))
      if (!(ORDER as readonly string[]).includes(k)) throw new Error(`StartCalendarInterval: unknown key ${k}`);
  }
  const keysOf = (d: CalendarInterval) => ORDER.filter((k) => d[k] !== undefined).join();
  const first = list[0]!;
  const differing = ORDER.filter((k) => list.some((d) => d[k] !== first[k]));
  const line = (used: CalendarInterval[]) =>
    ORDER.map((k) =>
      field(
        k,
        used.flatMap((d) => (d[k] === undefined ? [] : [d[k]!])),
      ),
    ).join(' ');
  if (list.every((d) => keysOf(d) === keysOf(first)) && differing.length <= 1) return [line(list)];
  return [...new Set(list.map((d) => line([d])))];
}
