import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IdleCheckpoint } from '../../../src-main/core/store/checkpoint';
import type { Db } from '../../../src-main/core/store/db';
import { useTempDb } from '../../helpers/temp-db';
import { waitFor } from '../../helpers/wait';

/** Commits about `bytes` of log text in one transaction; the pages stay in the WAL until a checkpoint. */
function commit(db: Db, bytes: number): void {
  const text = 'x'.repeat(1000);
  const ins = db.prepare(`INSERT INTO logs (process, run_id, stream, at, line) VALUES ('a', NULL, 'out', 1, ?)`);
  db.transaction(() => {
    for (let i = 0; i < bytes / text.length; i++) ins.run(text);
  })();
}

describe('IdleCheckpoint', () => {
  const db = useTempDb();
  const dbFileSize = () => statSync(db().name).size;

  it('openDb leaves SQLite its own checkpoint only as a 256 MB backstop and cuts the WAL back to 16 MB', () => {
    expect(db().pragma('page_size', { simple: true })).toBe(16384);
    expect(db().pragma('wal_autocheckpoint', { simple: true })).toBe(16384); // pages of 16 KB
    expect(db().pragma('journal_size_limit', { simple: true })).toBe(16 * 1024 * 1024);
  });

  it('copies a burst into the database file once the writer has been quiet, not during the burst', async () => {
    const cp = new IdleCheckpoint(db(), { idleMs: 200, minBytes: 1_000_000 });
    const before = dbFileSize();
    for (let i = 0; i < 4; i++) {
      commit(db(), 500_000);
      cp.wrote(500_000);
    }
    // 2 MB committed, all of it still in the WAL: nothing was checkpointed inside the commits.
    expect(cp.pending).toBe(true);
    expect(dbFileSize()).toBeLessThan(before + 1_000_000);
    await waitFor(() => dbFileSize() >= before + 2_000_000, { timeout: 5_000, what: 'the burst in the database file' });
    expect(cp.pending).toBe(false);
    cp.close();
  });

  it('asks for nothing below its threshold, so a trickle of lines costs no fsync', () => {
    const cp = new IdleCheckpoint(db(), { idleMs: 10, minBytes: 1_000_000 });
    commit(db(), 100_000);
    cp.wrote(100_000);
    expect(cp.pending).toBe(false);
    cp.wrote(950_000);
    expect(cp.pending).toBe(true);
    cp.close();
    expect(cp.pending).toBe(false);
  });

  it('reports a failed checkpoint instead of throwing from its timer', async () => {
    const errors: Error[] = [];
    const cp = new IdleCheckpoint(db(), { idleMs: 10, minBytes: 1, onError: (e) => errors.push(e) });
    cp.wrote(10);
    db().close();
    await waitFor(() => errors.length > 0, { timeout: 5_000, what: 'the error' });
    expect(errors[0]!.message).toMatch(/not open/);
  });
});
