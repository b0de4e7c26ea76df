/** A fresh store per test: a real SQLite file in a temp dir, opened before each test and closed and removed after. */
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { openDb, type Db } from '../../src-main/core/store/db';
import { tempDir } from './tmp';

/** Registers the hooks in the calling file or describe block; call the returned function inside a test. */
export function useTempDb(): () => Db {
  let db: Db | undefined;
  let cleanup = () => {};
  beforeEach(() => {
    const t = tempDir();
    cleanup = t.cleanup;
    db = openDb(join(t.dir, 'sentinel.db'));
  });
  afterEach(() => {
    db?.close();
    db = undefined;
    cleanup();
  });
  return () => {
    if (!db) throw new Error('useTempDb: the store is open only inside a test');
    return db;
  };
}
