/**
 * Captured stdout/stderr, a row per line in the `logs` table.
 *
 * Why SQLite and not rotating files: one file holds logs, runs and failures, so a line is indexed by process and
 * time and can be joined to the run that printed it (a bug report takes "the last 200 lines before the failure"
 * with one query); writes are batched in transactions (hundreds of thousands of lines a second); rotation is
 * "delete the oldest rows of this process" — no rename dance that breaks a writer holding the file open
 * (launchd's StandardOutPath) and no separate logrotate add-on to forget (PM2 #1550).
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

interface PendingRow {
  process: string;
  run_id: number | null;
  stream: Stream;
  at: number;
  line: string;
}

export interface LogWriterOptions {
  /** Called after each flushed batch with the stored lines (ids included), only if `wantLines()` says so. */
  onFlush?: (lines: LogLine[]) => void;
  wantLines?: () => boolean;
  retention?: { max_lines: number; max_bytes: number };
  /** Per-process retention overrides. */
  retentionFor?: (process: string) => { max_lines: number; max_bytes: number } | undefined;
  flushMs?: number;
  /** A queue this long is written at once, so memory holds at most this many lines plus one read chunk. */
  highWater?: number;
  onError?: (err: Error) => void;
  now?: () => number;
}

/** Trim a process's logs once this many new lines were written for it, so retention costs nothing per line. */
const TRIM_EVERY = 50_000;

/**
 * Batches log lines into transactions: every `flushMs`, or at once when `highWater` lines wait. Each chunk a child
 * writes is split and stored before the next is read, so a child that prints faster than we store blocks in
 * write() on its full pipe (backpressure through the kernel): nothing is lost and our memory stays bounded.
 */
export class LogWriter {
  private queue: PendingRow[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly sinceTrim = new Map<string, number>();
  private readonly insert;
  private readonly flushMs: number;
  private readonly highWater: number;
  private readonly now: () => number;

  constructor(
    private readonly db: Db,
    private readonly opts: LogWriterOptions = {},
  ) {
    this.insert = db.prepare('INSERT INTO logs (process, run_id, stream, at, line) VALUES (?, ?, ?, ?, ?)');
    this.flushMs = opts.flushMs ?? 50;
    this.highWater = opts.highWater ?? 2_000;
    this.now = opts.now ?? Date.now;
  }

  get queued(): number {
    return this.queue.length;
  }

  write(process: string, runId: number | null, stream: Stream, line: string, at = this.now()): void {
    this.queue.push({ process, run_id: runId, stream, at, line });
    // A full queue is written at once: queued rows that wait would outlive young-generation GCs and grow the heap.
    if (this.queue.length >= this.highWater) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  /** Reads a child's stream line by line into the store. Resolves when the stream ends. */
  capture(
    readable: Readable,
    process: string,
    runId: number | null,
    stream: Stream,
    transform?: (line: string) => string,
  ): Promise<void> {
    const splitter = new LineSplitter();
    const put = (line: string, at?: number) =>
      this.write(process, runId, stream, transform ? transform(line) : line, at);
    return new Promise((resolve) => {
      readable.on('data', (chunk: Buffer) => {
        const at = this.now();
        for (const line of splitter.push(chunk)) put(line, at);
      });
      const done = () => {
        for (const line of splitter.end()) put(line);
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
    const want = this.opts.onFlush !== undefined && (this.opts.wantLines?.() ?? true);
    const stored: LogLine[] = [];
    try {
      this.db.transaction(() => {
        for (const r of batch) {
          const { lastInsertRowid } = this.insert.run(r.process, r.run_id, r.stream, r.at, r.line);
          if (want)
            stored.push({ id: Number(lastInsertRowid), process: r.process, stream: r.stream, at: r.at, line: r.line });
          this.sinceTrim.set(r.process, (this.sinceTrim.get(r.process) ?? 0) + 1);
        }
      })();
    } catch (err) {
      this.opts.onError?.(err as Error);
    }
    this.trimDue();
    if (want && stored.length > 0) this.opts.onFlush!(stored);
  }

  private trimDue(): void {
    for (const [process, n] of this.sinceTrim) {
      if (n < TRIM_EVERY) continue;
      this.sinceTrim.set(process, 0);
      const limits = this.opts.retentionFor?.(process) ?? this.opts.retention;
      if (limits) {
        try {
          trimLogs(this.db, process, limits);
        } catch (err) {
          this.opts.onError?.(err as Error);
        }
      }
    }
  }

  close(): void {
    this.flush();
  }
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

/** An invalid --grep is bad input, named as such (the transports answer it as a bad request). */
export class LogQueryError extends SentinelError {
  constructor(field: string, message: string) {
    super('bad_request', message, field);
  }
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
    try {
      new RegExp(grep);
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
  if (q.before_id !== undefined) (where.push('id < ?'), params.push(q.before_id));
  if (forward) (where.push('id > ?'), params.push(q.after_id!));
  if (grep !== undefined) (where.push('line REGEXP ?'), params.push(grep));
  const sql =
    `SELECT id, process, stream, at, line FROM logs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ` +
    `ORDER BY id ${forward ? 'ASC' : 'DESC'} LIMIT ?`;
  const out = db.prepare(sql).all(...params, q.limit) as LogLine[];
  return forward ? out : out.reverse();
}
