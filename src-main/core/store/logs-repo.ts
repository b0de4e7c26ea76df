/**
 * The `logs` table: captured lines, their retention trim and the query behind `logs.query` and the reports.
 *
 * One row per read from a child's pipe: the lines of one read share their arrival time anyway, so a row holds them
 * joined by "\n" with their count in `lines` (migration 5; rows written before it are rows of one line and read the
 * same way). A line keeps its own identity — its id is `row id × LINE_ID_STRIDE + its index in the row` — so
 * tailing, paging, `--since`, per-line grep and "the last lines before the failure" work line by line while a flood
 * costs one insert per read instead of one per line.
 */
import type { LogLine } from '../../shared/contract';
import { compileGrep, grepLiteral } from '../../shared/grep';
import type { Db } from './db';

export type Stream = LogLine['stream'];

/** The lines of one read, to be stored as one row (at most LINE_ID_STRIDE lines). */
export interface NewLogRow {
  process: string;
  run_id: number | null;
  stream: Stream;
  at: number;
  /** The row's lines joined by newlines, and how many there are (at most LINE_ID_STRIDE). */
  text: string;
  count: number;
}

/** A row holds at most this many lines, so a line's index fits below the stride. */
export const LINE_ID_STRIDE = 4096;

/** The id of the `index`th line of row `rowId`, and back. */
export const lineId = (rowId: number, index: number): number => rowId * LINE_ID_STRIDE + index;
const rowOf = (id: number): number => Math.floor(id / LINE_ID_STRIDE);

/** Each row is counted with this many bytes besides its text when bytes are weighed against max_bytes. */
export const ROW_OVERHEAD = 40;

/** Returns a writer that inserts a batch of rows in one transaction and gives back their row ids, in order. */
export function logsWriter(db: Db): (rows: readonly NewLogRow[]) => number[] {
  const insert = db.prepare('INSERT INTO logs (process, run_id, stream, at, line, lines) VALUES (?, ?, ?, ?, ?, ?)');
  return db.transaction((rows: readonly NewLogRow[]) =>
    rows.map((r) => Number(insert.run(r.process, r.run_id, r.stream, r.at, r.text, r.count).lastInsertRowid)),
  );
}

/** Lines and bytes of text (each row counted with ROW_OVERHEAD bytes) a process holds in the store. */
export interface LogTotals {
  lines: number;
  bytes: number;
}

export function logTotals(db: Db, process: string): LogTotals {
  return db
    .prepare(
      `SELECT coalesce(sum(lines), 0) AS lines, coalesce(sum(length(line)), 0) + ${ROW_OVERHEAD} * count(*) AS bytes
       FROM logs WHERE process = ?`,
    )
    .get(process) as LogTotals;
}

/**
 * Keeps at most max_lines lines of a process and at most max_bytes of text, deleting the oldest rows: down to
 * `keep` (a fraction of the limits, so a steady flood trims now and then rather than at every batch). Reads rows
 * from the oldest only as far as it deletes. `totals` (what the writer keeps count of) saves summing the table.
 * Returns what was removed.
 */
export function trimLogsBy(
  db: Db,
  process: string,
  limits: { max_lines: number; max_bytes: number },
  totals: LogTotals = logTotals(db, process),
  keep = 1,
): LogTotals {
  const excessLines = totals.lines - Math.floor(limits.max_lines * (totals.lines > limits.max_lines ? keep : 1));
  const excessBytes = totals.bytes - Math.floor(limits.max_bytes * (totals.bytes > limits.max_bytes ? keep : 1));
  const removed: LogTotals = { lines: 0, bytes: 0 };
  if (excessLines <= 0 && excessBytes <= 0) return removed;
  let cutoff: number | undefined;
  const rows = db
    .prepare('SELECT id, lines, length(line) AS len FROM logs WHERE process = ? ORDER BY id ASC')
    .iterate(process) as IterableIterator<{ id: number; lines: number; len: number }>;
  for (const r of rows) {
    cutoff = r.id;
    removed.lines += r.lines;
    removed.bytes += r.len + ROW_OVERHEAD;
    if (removed.lines >= excessLines && removed.bytes >= excessBytes) break;
  }
  if (cutoff !== undefined) db.prepare('DELETE FROM logs WHERE process = ? AND id <= ?').run(process, cutoff);
  return removed;
}

/** trimLogsBy to the limits themselves; returns the lines removed. */
export function trimLogs(db: Db, process: string, limits: { max_lines: number; max_bytes: number }): number {
  return trimLogsBy(db, process, limits).lines;
}

export interface LogQuery {
  process?: string;
  grep?: string;
  since?: number;
  after_id?: number;
  before_id?: number;
  stream?: Stream;
  limit: number;
}

/**
 * SQLite's REGEXP operator, backed by JavaScript regular expressions (one compiled pattern per query), so a
 * grep is filtered inside SQLite while it walks the index: no row that does not match becomes a JS object. The
 * pattern runs with the `m` flag over a row's joined lines (^ and $ then match at each line), which matches every
 * row holding a matching line; the lines of those rows are then tested one by one with the pattern as given.
 */
function ensureRegexp(db: Db): void {
  if (withRegexp.has(db)) return;
  let source = '';
  let re = new RegExp('', 'm');
  db.function('regexp', { deterministic: true }, (pattern, text) => {
    if (pattern !== source) {
      source = String(pattern);
      re = new RegExp(source, 'm');
    }
    return re.test(String(text)) ? 1 : 0;
  });
  withRegexp.add(db);
}
const withRegexp = new WeakSet<Db>();

interface LogRow {
  id: number;
  process: string;
  stream: Stream;
  at: number;
  line: string;
  lines: number;
}

/**
 * Lines in chronological order. Without `after_id` the newest `limit` matches are returned (a tail); with it, the
 * oldest `limit` after that id (following). The process, stream, id and time narrow the scan through the
 * indexes; a `grep` is a JavaScript regular expression applied to rows by SQLite itself (REGEXP), then per line.
 * Rows are read one at a time until `limit` lines are found, so a tail of a flood reads a few rows.
 */
export function queryLogs(db: Db, q: LogQuery): LogLine[] {
  const grep = q.grep !== undefined && q.grep !== '' ? q.grep : undefined;
  let re: RegExp | undefined;
  if (grep !== undefined) {
    re = compileGrep(grep);
    ensureRegexp(db);
  }
  const forward = q.after_id !== undefined;
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (q.process !== undefined) {
    where.push('process = ?');
    params.push(q.process);
  }
  if (q.stream !== undefined) {
    where.push('stream = ?');
    params.push(q.stream);
  }
  if (q.since !== undefined) {
    where.push('at >= ?');
    params.push(q.since);
  }
  // Cursors are line ids: the row holding the cursor line is read too, and its lines past the cursor kept.
  if (q.before_id !== undefined) {
    where.push('id <= ?');
    params.push(rowOf(q.before_id));
  }
  if (forward) {
    where.push('id >= ?');
    params.push(rowOf(q.after_id!));
  }
  if (grep !== undefined) {
    // A plain part every match needs is looked for natively first: most rows never reach the JavaScript pattern.
    const literal = grepLiteral(grep);
    if (literal !== undefined) {
      where.push('instr(line, ?) > 0');
      params.push(literal);
    }
    where.push('line REGEXP ?');
    params.push(grep);
  }
  const sql =
    `SELECT id, process, stream, at, line, lines FROM logs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ` +
    `ORDER BY id ${forward ? 'ASC' : 'DESC'}`;
  const keep = (id: number, line: string) =>
    (q.before_id === undefined || id < q.before_id) &&
    (q.after_id === undefined || id > q.after_id) &&
    (re === undefined || re.test(line));
  const out: LogLine[] = [];
  for (const row of db.prepare(sql).iterate(...params) as IterableIterator<LogRow>) {
    const texts = row.lines === 1 ? [row.line] : row.line.split('\n');
    const base = row.id * LINE_ID_STRIDE;
    for (let k = 0; k < texts.length && out.length < q.limit; k++) {
      const i = forward ? k : texts.length - 1 - k;
      const id = base + i;
      if (keep(id, texts[i]!)) out.push({ id, process: row.process, stream: row.stream, at: row.at, line: texts[i]! });
    }
    if (out.length >= q.limit) break;
  }
  return forward ? out : out.reverse();
}
