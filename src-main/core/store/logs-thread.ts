/**
 * Log rows inserted by a worker thread with its own connection, so the supervisor's thread keeps reading the
 * children's pipes while a batch commits.
 *
 * Why: profiled during a flood, the daemon spends about the CPU per line that PM2's does, yet a child printing
 * to it ran 1.5× slower: every commit (the WAL write, a checkpoint with its fsyncs) ran on the thread that reads
 * the pipes, so the pipes filled and the child waited. PM2 appends through libuv's thread pool and never stops
 * reading. Here the commit runs on the worker while the next batch is read.
 *
 * The worker's code is plain JavaScript run with `eval` (no bundle entry or loader to find, in the packaged app as
 * in tests); its statement is INSERT_LOG_SQL, so the SQL stays in logs-repo. `insertAndWait` blocks on an Atomics
 * counter the worker bumps after each reply, then takes the reply off the port synchronously: callers that need a
 * batch stored now (close, a writer over its memory bound) get the synchronous behaviour of the in-thread writer.
 */
import { createRequire } from 'node:module';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { Db } from './db';
import { INSERT_LOG_SQL, type NewLogRow } from './logs-repo';

/** The answer to one batch: its row ids in order, or why it was not stored. */
export interface InsertReply {
  seq: number;
  ids?: number[];
  error?: string;
}

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const { port, file, sql, signal } = workerData;
const replies = new Int32Array(signal);
const db = new Database(file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
const insert = db.prepare(sql);
const write = db.transaction((rows) =>
  rows.map((r) => Number(insert.run(r.process, r.run_id, r.stream, r.at, r.text, r.count).lastInsertRowid)));
port.on('message', ({ seq, rows }) => {
  let reply;
  try {
    reply = { seq, ids: write(rows) };
  } catch (err) {
    reply = { seq, error: String((err && err.message) || err) };
  }
  port.postMessage(reply);
  Atomics.add(replies, 0, 1);
  Atomics.notify(replies, 0);
});
`;

export interface LogsThreadOptions {
  /** Every reply, whether it came through the event loop or through `wait`. */
  onReply: (reply: InsertReply) => void;
  /** The worker failed or exited: nothing more will be answered. */
  onGone: (err: Error) => void;
  /** For tests: the worker's code. */
  source?: string;
}

export class LogsThread {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly replies: Int32Array;
  private seq = 0;
  private stopped = false;

  /** Null when the store has no file a second connection could open (in memory) or the worker cannot start. */
  static start(db: Db, opts: LogsThreadOptions): LogsThread | null {
    if (db.memory || db.readonly || db.name === '') return null;
    try {
      return new LogsThread(db.name, opts);
    } catch {
      return null;
    }
  }

  private constructor(
    file: string,
    private readonly opts: LogsThreadOptions,
  ) {
    const signal = new SharedArrayBuffer(4);
    this.replies = new Int32Array(signal);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(opts.source ?? WORKER_SOURCE, {
      eval: true,
      workerData: { driver, file, sql: INSERT_LOG_SQL, signal, port: port2 },
      transferList: [port2],
    });
    // Neither keeps the daemon (or a test) alive: the writer stops them, and an exit flushes synchronously.
    this.worker.unref();
    this.port.unref();
    this.port.on('message', (reply: InsertReply) => this.opts.onReply(reply));
    this.worker.on('error', (err) => this.gone(err));
    this.worker.on('exit', (code) => this.gone(new Error(`log writer thread exited (code ${code})`)));
  }

  /** Sends a batch; its reply comes to onReply with the returned sequence number. */
  insert(rows: readonly NewLogRow[]): number {
    this.seq++;
    // Texts go as UTF-8 bytes whose memory moves to the worker (transferred, not cloned): what the driver would
    // have encoded anyway, without copying 4 MB of strings into a second heap. Small ones share Node's pool: cloned.
    const transfer: ArrayBuffer[] = [];
    const sent = rows.map((r) => {
      const bytes = Buffer.from(r.text);
      if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength)
        transfer.push(bytes.buffer as ArrayBuffer);
      return { ...r, text: bytes };
    });
    this.port.postMessage({ seq: this.seq, rows: sent }, transfer);
    return this.seq;
  }

  /**
   * Blocks until the reply to `seq` has been given to onReply; false if the worker is gone or has not answered
   * within `timeoutMs` (then it is treated as gone by the caller).
   */
  wait(seq: number, answered: () => boolean, timeoutMs: number): boolean {
    const deadline = Date.now() + timeoutMs;
    while (!this.stopped) {
      // Read the counter before looking at the port: a reply posted after the look bumps it and ends the wait.
      const seen = Atomics.load(this.replies, 0);
      for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port))
        this.opts.onReply(m.message as InsertReply);
      if (answered()) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      Atomics.wait(this.replies, 0, seen, left);
    }
    return answered();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.port.close();
    void this.worker.terminate();
  }

  private gone(err: Error): void {
    if (this.stopped) return;
    this.stop();
    this.opts.onGone(err);
  }
}
