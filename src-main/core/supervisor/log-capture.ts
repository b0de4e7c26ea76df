/**
 * Captured stdout/stderr in the `logs` table, one row per read from the child's pipe (the row layout, line ids
 * and queries are in store/logs-repo.ts): a flood costs one insert per 64 KB read instead of one per line (≈ 10×
 * the lines per second of a row per line).
 *
 * Why SQLite and not rotating files: one file holds logs, runs and failures, so a line is indexed by process and
 * time and can be joined to the run that printed it (a bug report takes "the last 200 lines before the failure"
 * with one query); writes are batched in transactions; rotation is "delete the oldest rows of this process" — no
 * rename dance that breaks a writer holding the file open (launchd's StandardOutPath) and no separate logrotate
 * add-on to forget (PM2 #1550).
 */
import type { Readable } from 'node:stream';
import type { LogLine } from '../../shared/contract';
import { IdleCheckpoint } from '../store/checkpoint';
import type { Db } from '../store/db';
import {
  LINE_ID_STRIDE,
  ROW_OVERHEAD,
  lineId,
  logTotals,
  logsWriter,
  trimLogsBy,
  type LogTotals,
  type NewLogRow,
  type Stream,
} from '../store/logs-repo';
import { LineSplitter } from '../util/line-splitter';

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
  /** A batch was written: a store that failed before accepts writes again. */
  onStored?: () => void;
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
  private queue: NewLogRow[] = [];
  private queuedLines = 0;
  private timer: NodeJS.Timeout | null = null;
  /** Lines and bytes written per process since the last retention check. */
  private readonly sinceTrim = new Map<string, LogTotals>();
  /** What each process holds in the store, once known. */
  private readonly totals = new Map<string, LogTotals>();
  private readonly insertBatch: (rows: readonly NewLogRow[]) => number[];
  private readonly checkpoint: IdleCheckpoint;
  private readonly flushMs: number;
  private readonly highWater: number;
  private readonly now: () => number;

  constructor(
    private readonly db: Db,
    private readonly opts: LogWriterOptions = {},
  ) {
    this.insertBatch = logsWriter(db);
    this.checkpoint = new IdleCheckpoint(db, { onError: (err) => this.opts.onError?.(err) });
    this.flushMs = opts.flushMs ?? 50;
    // About 500 KB of 60-byte lines a transaction. Commits are cheap now that no checkpoint runs inside them
    // (store/checkpoint.ts); a smaller queue is let go before V8 promotes it to the old generation: a 1 M-line
    // flood peaked at 85 MB RSS instead of 105 MB with 65,536 lines, at the same lines per second.
    this.highWater = opts.highWater ?? 8192;
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
    for (let i = 0; i < lines.length; i += LINE_ID_STRIDE) {
      const part = lines.length <= LINE_ID_STRIDE ? lines : lines.slice(i, i + LINE_ID_STRIDE);
      this.enqueue({ process, run_id: runId, stream, at, text: part.join('\n'), count: part.length });
    }
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
    // Without a transform (no secrets to redact) a read is stored as the text it came in, never split into lines.
    const read = transform
      ? (chunk: Buffer) => put(splitter.push(chunk), this.now())
      : (chunk: Buffer) => {
          const { text, count } = splitter.pushJoined(chunk);
          if (count > LINE_ID_STRIDE) put(text.split('\n'), this.now());
          else if (count > 0) this.enqueue({ process, run_id: runId, stream, at: this.now(), text, count });
        };
    return new Promise((resolve) => {
      readable.on('data', read);
      const done = () => {
        put(splitter.end());
        // The stream is over (the child exited or closed it): its last lines have nothing to wait for.
        this.flush();
        resolve();
      };
      readable.once('end', done);
      readable.once('error', done);
    });
  }

  private enqueue(row: NewLogRow): void {
    this.queue.push(row);
    this.queuedLines += row.count;
    // A full queue is written at once: queued rows that wait would outlive young-generation GCs and grow the heap.
    if (this.queuedLines >= this.highWater) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.flushMs);
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
    let bytes = 0;
    try {
      const rows = this.insertBatch(batch);
      this.opts.onStored?.();
      batch.forEach((r, n) => {
        // Lines for live listeners (a window, `logs -f`) are cut from the row only when someone listens.
        if (want)
          (r.count === 1 ? [r.text] : r.text.split('\n')).forEach((line, i) =>
            stored.push({ id: lineId(rows[n]!, i), process: r.process, stream: r.stream, at: r.at, line }),
          );
        const added = this.sinceTrim.get(r.process) ?? { lines: 0, bytes: 0 };
        added.lines += r.count;
        added.bytes += r.text.length + ROW_OVERHEAD;
        bytes += r.text.length + ROW_OVERHEAD;
        this.sinceTrim.set(r.process, added);
      });
      this.checkpoint.wrote(bytes);
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
    this.checkpoint.close();
  }
}
