/**
 * One supervisor per data dir. Two supervisors over one dir would each "reconcile" the other's children as
 * left-overs and run every process twice, so the host takes this lock before the store opens or anything is
 * reconciled, and keeps it until everything is closed.
 *
 * Why this mechanism: an OS-level advisory lock (POSIX fcntl, through SQLite's own locking on `sentinel.lock`).
 * - Atomic: the kernel grants an exclusive lock to exactly one process; two starts at the same instant cannot
 *   both win (a pid file or a "probe the socket, then bind" check has a window between look and take).
 * - Never stale: the kernel drops the lock when the holder dies, `kill -9` included, so nothing has to guess
 *   whether a left-over file is still meant (mtime-based libraries such as proper-lockfile block for their
 *   staleness period after a crash, and a bound Unix socket leaves its file behind on macOS).
 * - No new native dependency: Node has no flock(); better-sqlite3 is already ours, and SQLite's unix VFS also
 *   refuses a second connection inside the same process (fcntl alone would not), which the tests rely on.
 * The lock is not inherited by children (fcntl locks belong to the process). The holder's pid is written to
 * `sentinel.pid` once the lock is held, so the one that lost can name it.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { takeExclusiveLock } from '../core/store/exclusive-lock';

export const LOCK_FILE_NAME = 'sentinel.lock';
export const PID_FILE_NAME = 'sentinel.pid';

export interface DataDirLock {
  readonly file: string;
  release(): void;
}

/** Another supervisor holds the data dir; `pid` is null when it could not be read in time. */
export class DataDirLocked extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number | null,
  ) {
    super(
      `another sentinel (${pid === null ? 'pid unknown' : `pid ${pid}`}) is already running on ${dataDir}; ` +
        'stop it first, or use another --data-dir',
    );
    this.name = 'DataDirLocked';
  }
}

/** Takes the lock or throws DataDirLocked naming the holder. Never waits for the holder to go away. */
export async function lockDataDir(
  dataDir: string,
  { pidWaitMs = 3000 }: { pidWaitMs?: number } = {},
): Promise<DataDirLock> {
  const file = join(dataDir, LOCK_FILE_NAME);
  const db = takeExclusiveLock(file);
  if (db === null) throw new DataDirLocked(dataDir, await holderPid(dataDir, pidWaitMs));
  writePid(dataDir);
  let released = false;
  return {
    file,
    release() {
      if (released) return;
      released = true;
      rmSync(join(dataDir, PID_FILE_NAME), { force: true });
      db.close();
    },
  };
}

/** The pid in `sentinel.pid`, or null. */
export function readHolderPid(dataDir: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(join(dataDir, PID_FILE_NAME), 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function writePid(dataDir: string): void {
  // Written aside and renamed: a reader sees the old pid or the new one, never half a number.
  const tmp = join(dataDir, `${PID_FILE_NAME}.${process.pid}`);
  writeFileSync(tmp, `${process.pid}\n`, { mode: 0o600 });
  renameSync(tmp, join(dataDir, PID_FILE_NAME));
}

/**
 * The winner writes its pid right after taking the lock; a loser that raced it may look before that, or see the
 * pid of a crashed predecessor, so it waits a moment for a live pid.
 */
async function holderPid(dataDir: string, waitMs: number): Promise<number | null> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const pid = readHolderPid(dataDir);
    if (pid !== null && isAlive(pid)) return pid;
    if (Date.now() >= deadline) return pid;
    await new Promise((r) => setTimeout(r, 25));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
