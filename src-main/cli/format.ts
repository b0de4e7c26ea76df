/**
 * Pure text primitives for the CLI's views (table-tested): tables that fit a width, local times, CPU and memory.
 * Colour is applied to cells after the layout, so widths count only what a terminal shows.
 */
import { stripVTControlCharacters } from 'node:util';
import { formatBytes } from '../core/util/bytes';
import { plain, type Colors } from './style';

/** What a terminal shows of a string: its length without colour escapes. */
export const visibleLength = (text: string): number => stripVTControlCharacters(text).length;

/** Newlines and runs of whitespace become one space: one record, one line. */
export const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** "web: http check failed" → "http check failed" where a column already names web. */
export const withoutName = (reason: string, name: string): string =>
  reason.startsWith(`${name}: `) ? reason.slice(name.length + 2) : reason;

/** Cuts text to `width` columns, marking the cut with "…". */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** A table cell: plain text, or text with the paint it gets once laid out. */
export type Cell = string | { text: string; paint: (text: string) => string };

export interface Column {
  header: string;
  align?: 'left' | 'right';
  /** Widest the column gets; longer cells are cut with "…". */
  max?: number;
  /** Never cut to make a row fit (times, numbers): a cut one would mislead. */
  fixed?: boolean;
}

export interface TableOptions {
  /** No line is wider than this when it can be: see `fit`. */
  width?: number;
  c?: Colors;
}

const GAP = 2;
const MIN_COLUMN = 4;

/** Columns two spaces apart under a header row; numbers right-aligned where the column says so. */
export function table(columns: readonly Column[], rows: readonly Cell[][], opts: TableOptions = {}): string {
  const { width = Infinity, c = plain } = opts;
  const text = (cell: Cell | undefined) => oneLine(typeof cell === 'string' ? cell : (cell?.text ?? ''));
  const widths = columns.map((col, i) =>
    Math.min(col.max ?? Infinity, Math.max(col.header.length, ...rows.map((r) => text(r[i]).length))),
  );
  fit(widths, width, columns);
  const line = (cells: Array<{ text: string; paint?: (t: string) => string }>) =>
    cells
      .map(({ text: t, paint }, i) => {
        const cut = truncate(t, widths[i]!);
        const pad = ' '.repeat(widths[i]! - cut.length);
        const shown = paint && cut !== '' ? paint(cut) : cut;
        if (columns[i]!.align === 'right') return pad + shown;
        return i === cells.length - 1 ? shown : shown + pad;
      })
      .join(' '.repeat(GAP))
      .trimEnd();
  const header = line(columns.map((col) => ({ text: col.header, paint: (t: string) => c.bold(t) })));
  const body = rows.map((r) =>
    line(
      columns.map((_, i) => {
        const cell = r[i] ?? '';
        return typeof cell === 'string' ? { text: oneLine(cell) } : { text: oneLine(cell.text), paint: cell.paint };
      }),
    ),
  );
  return [header, ...body].join('\n');
}

/**
 * Shrinks column widths (in place) until the row fits: the last column (the free text: a reason, a note) first,
 * down to a quarter of the width; then the widest of the other columns that may be cut; then the last one again,
 * down to 10 columns.
 */
function fit(widths: number[], width: number, columns: readonly Column[]): void {
  const last = widths.length - 1;
  let over = widths.reduce((a, b) => a + b, 0) + GAP * last - width;
  const shrinkLast = (floor: number) => {
    const take = Math.max(0, Math.min(over, widths[last]! - floor));
    widths[last]! -= take;
    over -= take;
  };
  shrinkLast(Math.max(10, Math.floor(width / 4)));
  while (over > 0) {
    let widest = -1;
    for (let i = 0; i < last; i++) {
      const floor = Math.max(MIN_COLUMN, columns[i]!.header.length);
      if (!columns[i]!.fixed && widths[i]! > floor && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    }
    if (widest < 0) break;
    widths[widest]!--;
    over--;
  }
  shrinkLast(10);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/**
 * A moment in the local time zone, to the second, as logs on a Mac read ("Dec 02 14:03:05"); with the year in
 * front ("2025-12-02 14:03:05") when it is not the year of `now`.
 */
export function localTime(at: number, now: number): string {
  const d = new Date(at);
  const clock = `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  if (d.getFullYear() !== new Date(now).getFullYear())
    return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${clock}`;
  return `${MONTHS[d.getMonth()]} ${two(d.getDate())} ${clock}`;
}

/** CPU as a percentage of one core (pidusage's measure: a busy 4-thread process can show 400%). */
export function cpuText(cpu: number | null): string {
  if (cpu === null || !Number.isFinite(cpu)) return '-';
  return `${cpu < 10 ? cpu.toFixed(1) : Math.round(cpu)}%`;
}

/** Resident memory in 1024-based units, as Activity Monitor and the config's limits count it. */
export const memoryText = (bytes: number | null): string =>
  bytes === null || !Number.isFinite(bytes) ? '-' : formatBytes(Math.round(bytes));
