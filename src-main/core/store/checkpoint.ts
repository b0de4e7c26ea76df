/**
 * WAL checkpoints when the log writer pauses, not inside a flood's commits.
 *
 * SQLite checkpoints inside the commit that takes the WAL past `wal_autocheckpoint` pages, and with
 * synchronous=NORMAL a checkpoint waits for two fsyncs (the WAL, then the database). During a flood that commit
 * runs on the thread that reads the child's pipe, so the child blocks on its full pipe while we wait for the disk:
 * storing 1 M lines (60 MB) took 290–330 ms with a checkpoint every 16 MB and 75–110 ms with none during the
 * writes (docs/benchmarks.md, session 5). So SQLite's own checkpoint stays only as a backstop at a larger WAL
 * (openDb), and the log writer asks for a checkpoint once it has written enough and then been quiet for a moment:
 * the same pages reach the database file, after the burst instead of during it. Small writers (a line every few
 * seconds) never reach the threshold and are left to the backstop, so a quiet process table costs no fsyncs.
 */
import type { Db } from './db';

export interface IdleCheckpointOptions {
  /** Quiet time after the last write before checkpointing. */
  idleMs?: number;
  /** Bytes written since the last checkpoint below which none is asked for. */
  minBytes?: number;
  onError?: (err: Error) => void;
}

export class IdleCheckpoint {
  private written = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly idleMs: number;
  private readonly minBytes: number;

  constructor(
    private readonly db: Db,
    private readonly opts: IdleCheckpointOptions = {},
  ) {
    this.idleMs = opts.idleMs ?? 1000;
    this.minBytes = opts.minBytes ?? 4 * 1024 * 1024;
  }

  /** A batch of about `bytes` was committed: (re)starts the quiet-time clock once enough is waiting in the WAL. */
  wrote(bytes: number): void {
    this.written += bytes;
    if (this.written < this.minBytes) return;
    if (this.timer) this.timer.refresh();
    else {
      this.timer = setTimeout(() => this.run(), this.idleMs);
      // A pending checkpoint never keeps a process alive: closing the last connection checkpoints anyway.
      this.timer.unref();
    }
  }

  /** Whether a checkpoint is waiting for the writer to pause. */
  get pending(): boolean {
    return this.timer !== null;
  }

  private run(): void {
    this.timer = null;
    this.written = 0;
    try {
      // PASSIVE: copies what no reader still needs and never waits for a reader (a window's query, the CLI).
      this.db.pragma('wal_checkpoint(PASSIVE)');
    } catch (err) {
      this.opts.onError?.(err as Error);
    }
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
