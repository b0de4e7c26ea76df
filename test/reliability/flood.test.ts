/**
 * A stdout flood of RELI_FLOOD_BYTES (default 1 GB) from one child: the supervisor's RSS stays under a fixed bound
 * the whole time, and the log store stays within settings.logs.max_bytes (lines kept) with the file at most a
 * small multiple of it (SQLite pages, indexes and the WAL on top of the line bytes).
 */
import { statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { rssBytes } from '../../bench/lib/procfs';
import { WAL_BACKSTOP_BYTES } from '../../src-main/core/store/db';
import { waitFor } from '../helpers/wait';
import { tempDir } from '../helpers/tmp';
import { CLI_MISSING, SentinelDaemon, useDaemon } from './support/daemon';
import { CHILDREN, node } from './support/programs';

const FLOOD_BYTES = Number(process.env.RELI_FLOOD_BYTES ?? String(1024 ** 3));
const LINE_WIDTH = 64; // bytes per line including the newline (flood.mjs pads to FLOOD_WIDTH - 1 + '\n')
const CAP_BYTES = 32 * 1024 * 1024;
/** The supervisor's resident memory may never exceed this while swallowing the flood. */
export const RSS_BOUND_MB = 300;
/** The database files (db + wal + shm) may be at most this multiple of the cap plus a fixed slack. */
const FILE_FACTOR = 3;
/** The WAL may hold this much before SQLite's own checkpoint (store/db.ts) while the flood never pauses. */
const FILE_SLACK = WAL_BACKSTOP_BYTES;
const mark = `flood-${process.pid}`;

function storeBytes(dbFile: string): number {
  return ['', '-wal', '-shm'].reduce((sum, ext) => {
    try {
      return sum + statSync(dbFile + ext).size;
    } catch {
      return sum;
    }
  }, 0);
}

describe.skipIf(CLI_MISSING)(`a ${(FLOOD_BYTES / 1048576).toFixed(0)} MB stdout flood`, () => {
  const tmp = tempDir('sentinel-reli-flood-');
  const daemon = new SentinelDaemon(tmp.dir, {
    settings: { logs: { max_bytes: CAP_BYTES, max_lines: 100_000_000 } },
    processes: [
      node(mark, 'flood', CHILDREN.flood, {
        env: { FLOOD_LINES: String(Math.ceil(FLOOD_BYTES / LINE_WIDTH)), FLOOD_WIDTH: String(LINE_WIDTH - 1) },
        restart: { policy: 'never' },
      }),
    ],
  });

  useDaemon(daemon, mark, tmp.cleanup);

  it(`keeps supervisor RSS under ${RSS_BOUND_MB} MB and the log store within its cap`, async () => {
    const pid = daemon.pid;
    const t0 = performance.now();
    let maxRss = 0;
    let maxFile = 0;
    // Sample until the flood child has exited (measurement loop with its own deadline).
    for (;;) {
      maxRss = Math.max(maxRss, rssBytes(pid));
      maxFile = Math.max(maxFile, storeBytes(daemon.dbFile));
      const state = (await daemon.process('flood')).state;
      if (state !== 'running' && state !== 'starting') break;
      if (performance.now() - t0 > 540_000) throw new Error('the flood did not finish within 9 minutes');
      await sleep(200);
    }
    // The last batches are written after the exit; wait until the row count stops moving.
    let rows = -1;
    await waitFor(
      () => {
        const n = daemon.read(
          (db) =>
            (db.prepare(`SELECT coalesce(sum(lines), 0) AS n FROM logs WHERE process = 'flood'`).get() as { n: number })
              .n,
        );
        const settled = n === rows;
        rows = n;
        maxRss = Math.max(maxRss, rssBytes(pid));
        return settled;
      },
      { timeout: 60_000, interval: 1000, what: 'log rows to settle' },
    );
    // A row holds its lines joined by newlines: the bytes of the lines it keeps are its text plus one final newline.
    const kept = daemon.read(
      (db) =>
        (
          db
            .prepare(`SELECT coalesce(sum(length(line)) + count(*), 0) AS b FROM logs WHERE process = 'flood'`)
            .get() as { b: number }
        ).b,
    );
    const secs = (performance.now() - t0) / 1000;
    maxFile = Math.max(maxFile, storeBytes(daemon.dbFile));
    console.log(
      `[reliability] flood: ${(FLOOD_BYTES / 1048576).toFixed(0)} MB in ${secs.toFixed(1)} s (${(FLOOD_BYTES / 1048576 / secs).toFixed(1)} MB/s), supervisor max RSS ${(maxRss / 1048576).toFixed(0)} MB, kept ${(kept / 1048576).toFixed(1)} MB in ${rows} rows (cap ${CAP_BYTES / 1048576} MB), db files max ${(maxFile / 1048576).toFixed(0)} MB`,
    );
    daemon.assertAlive();
    expect(maxRss / 1048576, 'supervisor RSS MB').toBeLessThanOrEqual(RSS_BOUND_MB);
    expect(kept, 'bytes of lines kept').toBeLessThanOrEqual(CAP_BYTES);
    expect(kept, 'the newest lines are kept').toBeGreaterThan(CAP_BYTES / 4);
    expect(maxFile, 'database files on disk').toBeLessThanOrEqual(FILE_FACTOR * CAP_BYTES + FILE_SLACK);
  });
});
