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
import type { Db } from '../store/db';
import { logsWriter, trimLogs, type NewLogLine, type Stream } from '../store/logs-repo';
import { LineSplitter } from '../util/line-splitter';

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
  private queue: NewLogLine[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly sinceTrim = new Map<string, number>();
  private readonly insertBatch: (rows: readonly NewLogLine[]) => number[];
  private readonly flushMs: number;
  private readonly highWater: number;
  private readonly now: () => number;

  constructor(
    private readonly db: Db,
    private readonly opts: LogWriterOptions = {},
  ) {
    this.insertBatch = logsWriter(db);
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
      const ids = this.insertBatch(batch);
      batch.forEach((r, i) => {
        if (want) stored.push({ id: ids[i]!, process: r.process, stream: r.stream, at: r.at, line: r.line });
        this.sinceTrim.set(r.process, (this.sinceTrim.get(r.process) ?? 0) + 1);
      });
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
