/**
 * The data dir holds secrets (the API token, captured logs that may carry credentials), so it is private: the dir
 * and logs/ 0700, the store, api.json, the endpoint and the log files 0600. Applied on every start, so files left
 * 0644 by an older version are fixed too. Children keep the umask they inherited: only our own files change.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Our files in the data dir (the store's -wal/-shm/-journal companions included). */
const OWN_FILE = /^(sentinel\.(db|lock|pid|sock)(-wal|-shm|-journal)?|api\.json|endpoint\.json)$/;

/** Creates the data dir and logs/ private, and makes everything of ours in them private. */
export function makeDataDirPrivate(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dataDir, PRIVATE_DIR_MODE);
  const logs = join(dataDir, 'logs');
  mkdirSync(logs, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(logs, PRIVATE_DIR_MODE);
  for (const name of readdirSync(dataDir)) if (OWN_FILE.test(name)) chmodFile(join(dataDir, name));
  for (const name of readdirSync(logs)) chmodFile(join(logs, name));
}

/**
 * Creates an empty file 0600 when missing. SQLite gives its -wal and -shm the mode of the database file, so a
 * store created this way never has a world-readable companion, not even for an instant.
 */
export function createPrivateFile(file: string): void {
  if (existsSync(file)) return chmodFile(file);
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  chmodSync(file, PRIVATE_FILE_MODE);
}

function chmodFile(file: string): void {
  try {
    if (statSync(file).isFile() && (statSync(file).mode & 0o777) !== PRIVATE_FILE_MODE)
      chmodSync(file, PRIVATE_FILE_MODE);
  } catch {
    // Gone in between (a rotated log): nothing to protect.
  }
}
