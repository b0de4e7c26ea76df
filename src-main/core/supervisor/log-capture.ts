/**
 * Captured stdout/stderr in the `logs` table, one row per read from the child's pipe: the lines of one read share
 * their arrival time anyway, so a row holds them joined by "\n" with their count in `lines`. A line keeps its own
 * identity — its id is `row id × LINE_ID_STRIDE + its index in the row` — so tailing, paging, `--since`, per-line
 * grep and "the last lines before the failure" work line by line while a flood costs one insert per 64 KB read
 * instead of one per line (≈ 10× the lines per second of a row per line; rows written before this design are
 * rows of one line and read the same way).
 *
 * Why SQLite and not rotating files: one file holds logs, runs and failures, so a line is indexed by process and
 * time and can be joined to the run that printed it (a bug report takes "the last 200 lines before the failure"
 * with one query); writes are batched in transactions; rotation is "delete the oldest rows of this process" — no
 * rename dance that breaks a writer holding the file open (launchd's StandardOutPath) and no separate logrotate
 * add-on to forget (PM2 #1550).
 */
import type { Readable } from 'node:stream';
import type { LogLine } from '../../shared/contract';
import { SentinelError } from '../../shared/errors';
import type { Db } from '../store/db';

export type Stream = LogLine['stream'];

/** Longer lines are cut into pieces of this many characters, so one runaway line cannot hold memory hostage. */
export const MAX_LINE = 16 * 1024;

/** Splits a byte stream into lines: keeps a partial line across chunks, drops the \r of CRLF, cuts huge lines. */
export class LineSplitter {
  private partial = '';
  private readonly decoder = new TextDecoder('utf-8');

  push(chunk: Uint8Array): string[] {
    const text = this.partial + this.decoder.decode(chunk, { stream: true });
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    const lines: string[] = [];
    for (const p of parts) pushCut(lines, p.endsWith('\r') ? p.slice(0, -1) : p);
    while (this.partial.length > MAX_LINE) {
      lines.push(this.partial.slice(0, MAX_LINE));
      this.partial = this.partial.slice(MAX_LINE);
    }
    return lines;
  }

  /** The last line when the stream ended without a newline. */
  end(): string[] {
    const rest = this.partial + this.decoder.decode();
    this.partial = '';
    const lines: string[] = [];
    if (rest !== '') pushCut(lines, rest);
    return lines;
  }
}

function pushCut(out: string[], line: string): void {
  if (line.length <= MAX_LINE) out.push(line);
  else for (let i = 0; i < line.length; i += MAX_LINE) out.push(line.slice(i, i + MAX_LINE));
}

/** A row holds at most this many lines, so a line's index fits below the stride. */
export const LINE_ID_STRIDE = 4096;

/** The id of the `index`th line of row `rowId`, and back. */
export const lineId = (rowId: number, index: number): number => rowId * LINE_ID_STRIDE + index;
const rowOf = (id: number): number => Math.floor(id / LINE_ID_STRIDE);

interface PendingRow {
  process: string;
  run_id: number | null;
  stream: Stream;
  at: number;
  lines: string[];
}

export interface LogWriterOptions {
  /** Called after each flushed batch with the stored lines (ids included), only if `wantLines()` says so. */
  onFlush?: (lines: LogLine[]) => void;
  wantLines?: () => boolean;
  retention?: { max_lines: number; max_bytes: number };
  /** Per-process retention overrides. */
  retentionFor?: (process: string) => { max_lines: number; max_bytes: number } | undefined;
  flushMs?: number;
  /** Lines: a queue this long is written at once, so memory holds at most this many lines plus one read chunk. */
  highWater?: number;
  onError?: (err: Error) => void;
  now?: () => number;
}

/** A process over a retention limit is trimmed to this fraction of it. */
const TRIM_TO = 0.9;
const FIRST_CHECK_LINES = 50_000;
const FIRST_CHECK_BYTES = 4 * 1024 * 1024;

/**
 * Batches rows into transactions: every `flushMs`, or at once when `highWater` lines wait. Each chunk a child
 * writes is split and queued as one row before the next is read, so a child that prints faster than we store
 * blocks in write() on its full pipe (backpressure through the kernel): nothing is lost and memory stays bounded.
 */
export class LogWriter {
  private queue: PendingRow[] = [];
  private queuedLines = 0;
  private timer: NodeJS.Timeout | null = null;
  /** Lines and bytes written per process since the last retention check. */
  private readonly sinceTrim = new Map<string, LogTotals>();
  /** What each process holds in the store, once known. */
  private readonly totals = new Map<string, LogTotals>();
  private readonly insert;
  private readonly flushMs: number;
  private readonly highWater: number;
  private readonly now: () => number;

  constructor(
    private readonly db: Db,
    private readonly opts: LogWriterOptions = {},
  ) {
    this.insert = db.prepare('INSERT INTO logs (process, run_id, stream, at, line, lines) VALUES (?, ?, ?, ?, ?, ?)');
    this.flushMs = opts.flushMs ?? 50;
    this.highWater = opts.highWater ?? 20_000;
    this.now = opts.now ?? Date.now;
  }

  /** Lines waiting to be written. */
  get queued(): number {
    return this.queuedLines;
  }

  write(process: string, runId: number | null, stream: Stream, line: string, at = this.now()): void {
    this.writeLines(process, runId, stream, [line], at);
  }

  /** The lines of one read: one row (several when there are more than LINE_ID_STRIDE). */
  writeLines(process: string, runId: number | null, stream: Stream, lines: string[], at = this.now()): void {
    if (lines.length === 0) return;
    for (let i = 0; i < lines.length; i += LINE_ID_STRIDE) {
      const part = i === 0 && lines.length <= LINE_ID_STRIDE ? lines : lines.slice(i, i + LINE_ID_STRIDE);
      this.queue.push({ process, run_id: runId, stream, at, lines: part });
      this.queuedLines += part.length;
    }
    // A full queue is written at once: queued rows that wait would outlive young-generation GCs and grow the heap.
    if (this.queuedLines >= this.highWater) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  /** Reads a child's stream into the store, a row per read. Resolves when the stream ends. */
  capture(
    readable: Readable,
    process: string,
    runId: number | null,
    stream: Stream,
    transform?: (line: string) => string,
  ): Promise<void> {
    const splitter = new LineSplitter();
    const put = (lines: string[], at?: number) =>
      this.writeLines(process, runId, stream, transform ? lines.map(transform) : lines, at);
    return new Promise((resolve) => {
      readable.on('data', (chunk: Buffer) => put(splitter.push(chunk), this.now()));
      const done = () => {
        put(splitter.end());
        resolve();
      };
      readable.once('end', done);
      readable.once('error', done);
    });
  }

  /** Writes the queue in one transaction. Never throws: a store error is reported and the batch dropped. */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.queuedLines = 0;
    const want = this.opts.onFlush !== undefined && (this.opts.wantLines?.() ?? true);
    const stored: LogLine[] = [];
    try {
      this.db.transaction(() => {
        for (const r of batch) {
          const text = r.lines.length === 1 ? r.lines[0]! : r.lines.join('\n');
          const row = Number(
            this.insert.run(r.process, r.run_id, r.stream, r.at, text, r.lines.length).lastInsertRowid,
          );
          if (want)
            r.lines.forEach((line, i) =>
              stored.push({ id: lineId(row, i), process: r.process, stream: r.stream, at: r.at, line }),
            );
          const added = this.sinceTrim.get(r.process) ?? { lines: 0, bytes: 0 };
          added.lines += r.lines.length;
          added.bytes += text.length + ROW_OVERHEAD;
          this.sinceTrim.set(r.process, added);
        }
      })();
    } catch (err) {
      this.opts.onError?.(err as Error);
    }
    this.trimDue();
    if (want && stored.length > 0) this.opts.onFlush!(stored);
  }

  /**
   * Retention without a scan per batch: the writer counts what each process holds (summed once from the table,
   * then kept up to date) and trims only when a limit is passed, down to 90 % of it.
   */
  private trimDue(): void {
    for (const [process, added] of this.sinceTrim) {
      if (added.lines === 0) continue;
      const known = this.totals.get(process);
      // What a process held before this daemon started is summed once it has written enough to matter.
      if (!known && added.lines < FIRST_CHECK_LINES && added.bytes < FIRST_CHECK_BYTES) continue;
      this.sinceTrim.set(process, { lines: 0, bytes: 0 });
      const limits = this.opts.retentionFor?.(process) ?? this.opts.retention;
      if (!limits) continue;
      try {
        const totals = known
          ? { lines: known.lines + added.lines, bytes: known.bytes + added.bytes }
          : logTotals(this.db, process);
        if (totals.lines > limits.max_lines || totals.bytes > limits.max_bytes) {
          const removed = trimLogsBy(this.db, process, limits, totals, TRIM_TO);
          totals.lines -= removed.lines;
          totals.bytes -= removed.bytes;
        }
        this.totals.set(process, totals);
      } catch (err) {
        this.totals.delete(process);
        this.opts.onError?.(err as Error);
      }
    }
  }

  close(): void {
    this.flush();
  }
}

/** Lines and bytes of text (each row counted with ROW_OVERHEAD bytes) a process holds in the store. */
export interface LogTotals {
  lines: number;
  bytes: number;
}
const ROW_OVERHEAD = 40;

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

/** An invalid --grep is bad input, named as such (the transports answer it as a bad request). */
export class LogQueryError extends SentinelError {
  constructor(field: string, message: string) {
    super('bad_request', message, field);
  }
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
    try {
      re = new RegExp(grep);
    } catch (err) {
      throw new LogQueryError('grep', `grep: not a valid regular expression: ${(err as Error).message}`);
    }
    ensureRegexp(db);
  }
  const forward = q.after_id !== undefined;
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (q.process !== undefined) (where.push('process = ?'), params.push(q.process));
  if (q.stream !== undefined) (where.push('stream = ?'), params.push(q.stream));
  if (q.since !== undefined) (where.push('at >= ?'), params.push(q.since));
  // Cursors are line ids: the row holding the cursor line is read too, and its lines past the cursor kept.
  if (q.before_id !== undefined) (where.push('id <= ?'), params.push(rowOf(q.before_id)));
  if (forward) (where.push('id >= ?'), params.push(rowOf(q.after_id!)));
  if (grep !== undefined) (where.push('line REGEXP ?'), params.push(grep));
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
