/**
 * Disk full under the store: the data dir is a small tmpfs that a chatty child fills through the log capture.
 * The supervisor must keep supervising (a crashing child keeps being restarted, status answers), say that it is
 * degraded, and recover — logs stored again — once the space comes back.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killMarked } from '../../bench/lib/procfs';
import { waitFor } from '../helpers/wait';
import { tempDir } from '../helpers/tmp';
import { CLI_MISSING, SentinelDaemon } from './support/daemon';
import { CHILDREN, node, sh } from './support/programs';
import { canMountTmpfs, mountTmpfs, type Tmpfs } from './support/tmpfs';

const SMALL = 12 * 1024 * 1024;
const LARGE = 256 * 1024 * 1024;
const mark = `diskfull-${process.pid}`;
const probe = mkdtempSync(join(tmpdir(), 'sentinel-tmpfs-probe-'));
const NO_TMPFS = canMountTmpfs(probe);
rmSync(probe, { recursive: true, force: true });
if (NO_TMPFS) console.log(`[reliability] diskfull skipped: ${NO_TMPFS}`);

const count = (file: string) => {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
};

describe.skipIf(CLI_MISSING || NO_TMPFS)('disk full under the store', () => {
  const tmp = tempDir('sentinel-reli-disk-');
  const starts = join(tmp.dir, 'crasher.starts'); // outside the tmpfs: the child's own record
  let fs: Tmpfs;
  let daemon: SentinelDaemon;

  beforeAll(async () => {
    killMarked(mark);
    const m = mountTmpfs(join(tmp.dir, 'data'), SMALL);
    if ('reason' in m) throw new Error(m.reason);
    fs = m;
    daemon = new SentinelDaemon(
      tmp.dir,
      {
        settings: { logs: { max_bytes: '1GB', max_lines: 100_000_000 } },
        processes: [
          node(mark, 'chatter', CHILDREN.chatter, {
            env: { CHATTER_LINES: '200', CHATTER_EVERY_MS: '10', CHATTER_WIDTH: '100' },
          }),
          sh(mark, 'crasher', `echo $$ >> ${starts}; sleep 0.3; exit 1`, { restart: { delay: 100 } }),
        ],
      },
      fs.dir,
    );
    await daemon.start();
  });
  afterAll(async () => {
    await daemon?.stop(10_000);
    killMarked(mark);
    fs?.unmount();
    tmp.cleanup();
  });

  const logRows = () =>
    daemon.read(
      (db) =>
        (db.prepare(`SELECT coalesce(sum(lines), 0) AS n FROM logs WHERE process = 'chatter'`).get() as { n: number })
          .n,
    );

  it('keeps supervising and reports degraded while the disk is full', async () => {
    const t0 = performance.now();
    await waitFor(() => fs.freeBytes() < 256 * 1024, { timeout: 60_000, interval: 100, what: 'the tmpfs to fill' });
    console.log(
      `[reliability] diskfull: ${SMALL / 1048576} MB tmpfs full after ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const before = count(starts);
    await waitFor(() => (daemon.assertAlive(), count(starts) >= before + 3), {
      timeout: 20_000,
      what: 'crasher restarted 3 more times on a full disk',
    });
    daemon.assertAlive();
    const status = await daemon.cli('status', '--json');
    expect(status.code, status.stderr).toBe(0);
    // Degraded must be visible to a person: the overall status is no longer green and its reason names the problem.
    await waitFor(
      async () => {
        daemon.assertAlive();
        const s = await daemon.cli('status', '--json');
        const overall = (JSON.parse(s.stdout) as { overall: { status: string; reason: string } }).overall;
        return overall.status !== 'green' && /disk|full|store|degraded/i.test(overall.reason);
      },
      { timeout: 20_000, what: 'status to report the full disk (overall not green, reason naming the store)' },
    );
  });

  it('stores logs again once space comes back, and records what happened', async () => {
    daemon.assertAlive();
    fs.resize(LARGE);
    const rows = logRows();
    await waitFor(() => (daemon.assertAlive(), logRows() > rows + 1000), {
      timeout: 30_000,
      what: 'log rows growing after the space came back',
    });
    const meta = daemon.read(
      (db) =>
        db.prepare(`SELECT level, scope, message FROM meta_logs ORDER BY id`).all() as {
          level: string;
          message: string;
        }[],
    );
    expect(
      meta.some((m) => /disk|full|SQLITE_FULL|store/i.test(m.message)),
      `meta_logs mention the full disk: ${JSON.stringify(meta.slice(-5))}`,
    ).toBe(true);
    expect(daemon.read((db) => String(db.pragma('integrity_check', { simple: true })))).toBe('ok');
  });
});
