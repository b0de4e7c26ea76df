/**
 * kill -9 of the supervisor, 20 times, under load (a child crashing every ~0.4 s, another logging every 10 ms,
 * three idle ones). After every restart: the store passes integrity_check, no configured process runs twice,
 * no child is left unaccounted for, every closed run has a reason. At the end a graceful stop closes every run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrityCheck } from '../../src-main/core/store/db';
import { killMarked, markedProcesses } from '../../bench/lib/procfs';
import { waitFor } from '../helpers/wait';
import { tempDir } from '../helpers/tmp';
import { CLI_MISSING, SentinelDaemon } from './support/daemon';
import { liveViolations, runRows } from './support/invariants';
import { CHILDREN, NAME_VAR, node, sh } from './support/programs';

const KILLS = Number(process.env.RELI_KILLS ?? '20');
const mark = `kill9-${process.pid}`;
const STEADY = ['steady1', 'steady2', 'steady3'];

describe.skipIf(CLI_MISSING)('kill -9 of the supervisor under load', () => {
  const tmp = tempDir('sentinel-reli-kill9-');
  const daemon = new SentinelDaemon(tmp.dir, {
    processes: [
      sh(mark, 'crasher', 'echo up; echo oops >&2; sleep 0.3; exit 1', { restart: { delay: 100 } }),
      node(mark, 'chatter', CHILDREN.chatter),
      ...STEADY.map((n) => sh(mark, n, 'exec sleep 100000')),
    ],
  });
  const figures = { restarts: 0, reconcileMs: [] as number[], logRows: 0, runs: 0 };

  beforeAll(() => killMarked(mark));
  afterAll(async () => {
    await daemon.stop(10_000);
    killMarked(mark);
    console.log(`[reliability] kill9: ${JSON.stringify(figures)}`);
    tmp.cleanup();
  });

  const logRows = () =>
    daemon.read((db) => (db.prepare('SELECT coalesce(sum(lines), 0) AS n FROM logs').get() as { n: number }).n);
  const allUp = () => {
    const names = new Set(markedProcesses(mark).map((p) => p.env[NAME_VAR]));
    return [...STEADY, 'chatter'].every((n) => names.has(n));
  };

  it(`survives ${KILLS} kill -9s with a sound store and no orphaned or duplicated children`, async () => {
    for (let i = 0; i < KILLS; i++) {
      const t0 = performance.now();
      await daemon.start();
      expect(
        daemon.read((db) => integrityCheck(db)),
        `integrity after restart ${i}`,
      ).toBe('ok');
      // Every invariant must hold once the new supervisor has reconciled; transient races (a crasher between its
      // spawn and its run row) clear within one poll, a real orphan or duplicate never does.
      let last: string[] = [];
      await waitFor(
        () => {
          last = daemon.read((db) => liveViolations(db, mark));
          return last.length === 0 && allUp();
        },
        {
          timeout: 15_000,
          interval: 100,
          what: `a reconciled supervisor after kill ${i} (violations: ${last.join('; ')})`,
        },
      ).catch((err: Error) => {
        throw new Error(`after restart ${i}: ${last.join('; ') || 'not all processes up'} — ${err.message}`);
      });
      figures.reconcileMs.push(Math.round(performance.now() - t0));
      // Let it work under load for a moment: at least 200 more log lines stored and one more crash handled.
      const rows = logRows();
      const runs = daemon.read((db) => runRows(db).length);
      await waitFor(() => logRows() > rows + 200 && daemon.read((db) => runRows(db).length) > runs, {
        timeout: 20_000,
        what: `load after restart ${i}`,
      });
      await daemon.kill9();
      figures.restarts++;
    }
    await daemon.start();
    await waitFor(() => daemon.read((db) => liveViolations(db, mark)).length === 0 && allUp(), {
      timeout: 15_000,
      what: 'final reconcile',
    });
    const { code } = await daemon.stop(30_000);
    expect(code, 'graceful stop exit code').toBe(0);
    await waitFor(() => markedProcesses(mark).length === 0, {
      timeout: 15_000,
      what: 'no children after a graceful stop',
    });
    const rows = daemon.read((db) => runRows(db));
    figures.runs = rows.length;
    figures.logRows = logRows();
    expect(
      rows.filter((r) => r.ended_at === null || !r.reason).map((r) => `${r.id}:${r.process}`),
      'runs left open or without a reason',
    ).toEqual([]);
    expect(daemon.read((db) => integrityCheck(db))).toBe('ok');
  });
});
