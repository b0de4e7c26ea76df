/**
 * An OS-level exclusive lock on a file, through SQLite's own locking (POSIX fcntl): the host's one-supervisor-per-
 * data-dir lock (host/lock.ts explains why this mechanism). Here because it is the database driver at work.
 */
import Database from 'better-sqlite3';

/** The lock, or null when another connection (this process or another) holds it. Release with `close()`. */
export function takeExclusiveLock(file: string): { close(): void } | null {
  // timeout 0: a held lock answers SQLITE_BUSY at once instead of waiting for the holder.
  const db = new Database(file, { timeout: 0 });
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('locking_mode = EXCLUSIVE');
    // In EXCLUSIVE locking mode the lock taken by this transaction is kept until the connection closes.
    db.exec('BEGIN EXCLUSIVE; COMMIT;');
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') return null;
    throw err;
  }
  return { close: () => db.close() };
}
