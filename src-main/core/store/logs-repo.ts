/**
 * The `logs` table: captured lines, their retention trim and the query behind `logs.query` and the reports.
 */
import type { LogLine } from '../../shared/contract';
import { compileGrep } from '../../shared/grep';
import type { Db } from './db';

export type Stream = LogLine['stream'];

export interface NewLogLine {
  process: string;
  run_id: number | null;
  stream: Stream;
  at: number;
  line: string;
}

/** Returns a writer that inserts a batch in one transaction and gives back the new rows' ids, in order. */
export function logsWriter(db: Db): (rows: readonly NewLogLine[]) => number[] {
  const insert = db.prepare('INSERT INTO logs (process, run_id, stream, at, line) VALUES (?, ?, ?, ?, ?)');
  return db.transaction((rows: readonly NewLogLine[]) =>
    rows.map((r) => Number(insert.run(r.process, r.run_id, r.stream, r.at, r.line).lastInsertRowid)),
  );
}

/**
 * Keeps at most max_lines lines of a process and about max_bytes of text (estimated from the average length of
 * recent lines, so the trim never has to sum the whole table). Deletes the oldest. Returns the rows removed.
 */
export function trimLogs(db: Db, process: string, limits: { max_lines: number; max_bytes: number }): number {
  const avg =
    (db
      .prepare('SELECT avg(length(line)) FROM (SELECT line FROM logs WHERE process = ? ORDER BY id DESC LIMIT 1000)')
      .pluck()
      .get(process) as number | null) ?? 0;
  const byBytes = avg > 0 ? Math.floor(limits.max_bytes / (avg + 40)) : limits.max_lines; // ~40 bytes of row overhead
  const keep = Math.max(1, Math.min(limits.max_lines, byBytes));
  const cutoff = db
    .prepare('SELECT id FROM logs WHERE process = ? ORDER BY id DESC LIMIT 1 OFFSET ?')
    .pluck()
    .get(process, keep) as number | undefined;
  if (cutoff === undefined) return 0;
  return db.prepare('DELETE FROM logs WHERE process = ? AND id <= ?').run(process, cutoff).changes;
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
 * grep is filtered inside SQLite while it walks the index: no row that does not match becomes a JS object.
 */
function ensureRegexp(db: Db): void {
  if (withRegexp.has(db)) return;
  let source = '';
  let re = new RegExp('');
  db.function('regexp', { deterministic: true }, (pattern, text) => {
    if (pattern !== source) {
      source = String(pattern);
      re = new RegExp(source);
    }
    return re.test(String(text)) ? 1 : 0;
  });
  withRegexp.add(db);
}
const withRegexp = new WeakSet<Db>();

/**
 * Lines in chronological order. Without `after_id` the newest `limit` matches are returned (a tail); with it, the
 * oldest `limit` after that id (following). The process, stream, id and time narrow the scan through the
 * indexes; a `grep` is a JavaScript regular expression applied by SQLite itself (REGEXP).
 */
export function queryLogs(db: Db, q: LogQuery): LogLine[] {
  const grep = q.grep !== undefined && q.grep !== '' ? q.grep : undefined;
  if (grep !== undefined) {
    compileGrep(grep);
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
  if (q.before_id !== undefined) {
    where.push('id < ?');
    params.push(q.before_id);
  }
  if (forward) {
    where.push('id > ?');
    params.push(q.after_id!);
  }
  if (grep !== undefined) {
    where.push('line REGEXP ?');
    params.push(grep);
  }
  const sql =
    `SELECT id, process, stream, at, line FROM logs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ` +
    `ORDER BY id ${forward ? 'ASC' : 'DESC'} LIMIT ?`;
  const out = db.prepare(sql).all(...params, q.limit) as LogLine[];
  return forward ? out : out.reverse();
}
