import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

/**
 * WAL size at which SQLite checkpoints by itself (the most disk the WAL takes while a writer never pauses), and the
 * size the WAL file is cut back to after a checkpoint.
 */
export const WAL_BACKSTOP_BYTES = 256 * 1024 * 1024;
const WAL_KEEP_BYTES = 16 * 1024 * 1024;

/**
 * Opens (creating if needed) the store: WAL so readers (CLI, windows) never block the supervisor's writes,
 * synchronous=NORMAL which is durable across a crash of the process (not of the OS) in WAL mode,
 * and a busy timeout so a second process waits instead of failing.
 */
export function openDb(file: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  // 16 KB pages (SQLite's default is 4 KB) for a new store, before WAL fixes the size: a log row holds one read
  // from a pipe (up to 64 KB), which on 4 KB pages is a chain of 16 overflow pages; on 16 KB pages a flood is
  // stored about twice as fast (docs/benchmarks.md). An existing store keeps its page size (no-op then).
  db.pragma('page_size = 16384');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // The log writer checkpoints when a burst pauses (store/checkpoint.ts); SQLite's own checkpoint, which runs
  // inside a commit and waits for two fsyncs, is only the backstop for a writer that never pauses: at 256 MB of
  // WAL instead of the default 1000 pages. At 64 MB it still fired inside a 1 M-line flood (60 MB of lines are
  // 68 MB of WAL frames) and held the pipe-reading thread for 170 ms. After a checkpoint the WAL file is cut back
  // to 16 MB on disk.
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.pragma(`wal_autocheckpoint = ${Math.round(WAL_BACKSTOP_BYTES / pageSize)}`);
  db.pragma(`journal_size_limit = ${WAL_KEEP_BYTES}`);
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  // better-sqlite3 builds SQLite with a 16 MB page cache per connection (SQLITE_DEFAULT_CACHE_SIZE=-16000). The
  // supervisor's store only grows (log rows, runs, events), so that cache filled page by page for an hour: most
  // of the daemon's RSS "growth" in the soak. SQLite's stock 2 MB holds what the writes and the indexed queries
  // touch; a log scan reads the file through the OS cache either way.
  db.pragma('cache_size = -2000');
  migrate(db, migrations);
  return db;
}

/** Applies the migrations not yet applied, each in its own transaction; returns the versions applied. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const current = db.pragma('user_version', { simple: true }) as number;
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
    applied.push(m.version);
  }
  return applied;
}

/**
 * Prepared statements kept by their SQL text: a repo whose SQL is built from a few optional parts (filters, the
 * columns an update sets) prepares each variant once instead of at every call. Compiling a statement costs more
 * than running these small ones, and a crash loop runs them at every crash.
 */
export function statementCache(db: Db): (sql: string) => Database.Statement {
  const cache = new Map<string, Database.Statement>();
  return (sql) => {
    let stmt = cache.get(sql);
    if (!stmt) cache.set(sql, (stmt = db.prepare(sql)));
    return stmt;
  };
}

export function integrityCheck(db: Db): string {
  return String(db.pragma('integrity_check', { simple: true }));
}

/** Throws when the store cannot be read (closed, damaged, gone): for liveness probes. */
export function probeDb(db: Db): void {
  db.prepare('SELECT 1').get();
}
