import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProcessSchema, type ProcessSpec } from '../../../src-main/core/config/schema';
import { openDb, type Db } from '../../../src-main/core/store/db';
import { Scheduler, type FiredEvent } from '../../../src-main/core/scheduler/scheduler';
import { silentLogger, type Logger } from '../../../src-main/core/util/logger';
import { tempDir } from '../../helpers/tmp';
import { slackUnderLoad } from '../../helpers/load';
import { waitFor } from '../../helpers/wait';
import { RealRunner } from './real-runner';

/** How late a fire may be recorded: 200 ms on a quiet machine, stretched by the load (helpers/load.ts) up to
 * 400 ms, below half the 1 s grid so a fire off the grid still fails. */
const TOLERANCE = Math.min(slackUnderLoad(200), 400);
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function setup() {
  const { dir, cleanup } = tempDir();
  const file = join(dir, 'sentinel.db');
  const dbs: Db[] = [];
  const open = () => {
    const db = openDb(file);
    dbs.push(db);
    return db;
  };
  const runner = new RealRunner();
  cleanups.push(
    cleanup,
    () => dbs.forEach((d) => d.open && d.close()),
    () => runner.stopAll(),
  );
  return { open, runner, dir };
}

function spec(name: string, schedule: Record<string, unknown>): ProcessSpec {
  return ProcessSchema.parse({ name, command: 'node', autostart: false, schedule });
}

function scheduler(db: Db, runner: RealRunner, logger: Logger = silentLogger) {
  const s = new Scheduler({ db, supervisor: runner, logger });
  const fired: FiredEvent[] = [];
  s.on('fired', (e) => fired.push(e));
  cleanups.push(() => s.dispose());
  return { s, fired };
}

describe('Scheduler with real processes', () => {
  it('every: 1s fires on an anchored grid (±200 ms) and starts the process each time', async () => {
    const { open, runner } = setup();
    runner.define('tick', ['-e', 'setTimeout(() => {}, 50)']);
    const { s, fired } = scheduler(open(), runner);
    const anchor = Date.now();
    s.setSpecs([spec('tick', { every: '1s' })]);
    s.start();
    await waitFor(() => runner.starts.length >= 3, { timeout: 6_000, what: '3 starts' });
    fired.slice(0, 3).forEach((f, i) => {
      expect(f.action).toBe('started');
      expect(Math.abs(f.at - (anchor + (i + 1) * 1000))).toBeLessThanOrEqual(TOLERANCE);
    });
    expect(s.list()[0]).toMatchObject({ process: 'tick', description: 'every 1s', enabled: true, skipped: 0 });
    expect(s.list()[0]!.runs).toBeGreaterThanOrEqual(3);
  });

  it('a cron with a seconds field fires on whole seconds (±200 ms)', async () => {
    const { open, runner } = setup();
    runner.define('sec', ['-e', '0']);
    const { s, fired } = scheduler(open(), runner);
    s.setSpecs([spec('sec', { cron: '* * * * * *', timezone: 'Europe/Berlin' })]);
    s.start();
    await waitFor(() => fired.length >= 2, { timeout: 5_000, what: '2 cron fires' });
    for (const f of fired.slice(0, 2)) {
      const off = f.at % 1000;
      expect(Math.min(off, 1000 - off)).toBeLessThanOrEqual(TOLERANCE);
    }
    expect(fired[1]!.at - fired[0]!.at).toBeGreaterThan(1000 - TOLERANCE);
    expect(s.info('sec')).toMatchObject({ enabled: true, description: 'cron * * * * * * (Europe/Berlin)' });
    expect(s.info('sec')!.next_run! % 1000).toBe(0);
  });

  it('overlap skip: runs due while the previous run lives are skipped and counted', async () => {
    const { open, runner } = setup();
    runner.define('slow', ['-e', 'setTimeout(() => {}, 100000)']);
    const { s, fired } = scheduler(open(), runner);
    s.setSpecs([spec('slow', { every: '200ms' })]);
    s.start();
    await waitFor(() => fired.filter((f) => f.action === 'skipped').length >= 2, { timeout: 5_000, what: '2 skips' });
    expect(runner.starts).toHaveLength(1);
    expect(fired[0]!.action).toBe('started');
    expect(s.list()[0]!.skipped).toBeGreaterThanOrEqual(2);
    expect(s.list()[0]!.runs).toBe(1);
  });

  it('overlap queue: one run right after the previous one ends', async () => {
    const { open, runner, dir } = setup();
    // The first run lives until the test has seen a fire queued behind it, whatever the machine's load.
    const done = join(dir, 'done');
    runner.define('q', [
      '-e',
      `setInterval(() => require('fs').existsSync(${JSON.stringify(done)}) && process.exit(0), 20)`,
    ]);
    const { s, fired } = scheduler(open(), runner);
    s.setSpecs([spec('q', { every: '2s', overlap: 'queue' })]);
    s.start();
    const exited: number[] = [];
    runner.on('exit', () => exited.push(Date.now()));
    await waitFor(() => fired.some((f) => f.action === 'queued'), { timeout: 10_000, what: 'a fire queued' });
    writeFileSync(done, '');
    await waitFor(() => runner.starts.length >= 2, { timeout: 10_000, what: 'queued start' });
    expect(fired.map((f) => f.action).slice(0, 2)).toEqual(['started', 'queued']);
    // The queued run starts on the exit, not at the next fire of the 2 s grid.
    expect(runner.starts[1]!.at - exited[0]!).toBeLessThan(1_000);
  });

  it('overlap restart: the live run is replaced', async () => {
    const { open, runner } = setup();
    runner.define('r', ['-e', 'setTimeout(() => {}, 100000)']);
    const { s, fired } = scheduler(open(), runner);
    s.setSpecs([spec('r', { every: '300ms', overlap: 'restart' })]);
    s.start();
    await waitFor(() => runner.starts.length >= 2, { timeout: 5_000, what: 'restart' });
    expect(fired.slice(0, 2).map((f) => f.action)).toEqual(['started', 'restarted']);
    expect(runner.starts[0]!.pid).not.toBe(runner.starts[1]!.pid);
  });

  it('a one-shot survives a restart of the scheduler when not yet due, runs once, then is disabled', async () => {
    const { open, runner } = setup();
    runner.define('once', ['-e', '0']);
    // Far enough ahead that a loaded machine still restarts the scheduler before it is due (catch_up: none would
    // rightly skip a one-shot that came due while Sentinel was down).
    const at = new Date(Date.now() + 3_000).toISOString();
    const specs = [spec('once', { at })];
    const first = scheduler(open(), runner);
    first.s.setSpecs(specs);
    first.s.start();
    expect(first.s.info('once')!.next_run).toBe(Date.parse(at));
    first.s.dispose(); // "Sentinel quits" before it is due

    const second = scheduler(open(), runner);
    second.s.setSpecs(specs);
    second.s.start();
    expect(Date.now(), 'the scheduler restarted before the one-shot was due').toBeLessThan(Date.parse(at));
    await waitFor(() => second.fired.length === 1, { timeout: 8_000, what: 'one-shot fire' });
    expect(Math.abs(second.fired[0]!.at - Date.parse(at))).toBeLessThanOrEqual(TOLERANCE);
    expect(second.s.list()[0]).toMatchObject({ enabled: false, next_run: null, runs: 1 });
    second.s.dispose();

    const third = scheduler(open(), runner);
    third.s.setSpecs(specs);
    third.s.start();
    expect(third.s.list()[0]).toMatchObject({ enabled: false, runs: 1 });
    expect(runner.starts).toHaveLength(1);
  });

  it.each([
    ['last', 'started', 1],
    ['none', 'skipped', 0],
  ] as const)('catch_up %s: a run missed while down → %s once', async (catchUp, action, starts) => {
    const { open, runner } = setup();
    runner.define('cu', ['-e', '0']);
    const specs = [spec('cu', { every: '1h', catch_up: catchUp })];
    const db = open();
    const first = scheduler(db, runner);
    first.s.setSpecs(specs);
    first.s.start();
    first.s.dispose();
    // Pretend the run was due 10 minutes ago, while Sentinel was not running.
    db.prepare('UPDATE schedules SET next_run = ? WHERE process = ?').run(Date.now() - 600_000, 'cu');
    const second = scheduler(db, runner);
    second.s.setSpecs(specs);
    second.s.start();
    expect(second.fired.map((f) => f.action)).toEqual([action]);
    expect(runner.starts).toHaveLength(starts);
    const row = second.s.list()[0]!;
    expect(row.next_run! - Date.now()).toBeGreaterThan(3_500_000); // re-armed on the hourly grid
    expect(row.skipped).toBe(catchUp === 'none' ? 1 : 0);
  });

  it('an interval keeps its grid across a restart of the scheduler', async () => {
    const { open, runner } = setup();
    runner.define('g', ['-e', '0']);
    const db = open();
    const first = scheduler(db, runner);
    first.s.setSpecs([spec('g', { every: '1h' })]);
    first.s.start();
    const planned = first.s.info('g')!.next_run!;
    first.s.dispose();
    await waitFor(() => Date.now() > planned - 3_600_000 + 20, { what: 'time to pass' });
    const second = scheduler(db, runner);
    second.s.setSpecs([spec('g', { every: '1h' })]);
    second.s.start();
    expect(second.s.info('g')!.next_run).toBe(planned);
  });

  it('a clock jump (sleep) with a run due meanwhile: catch_up last runs once, coalesced', async () => {
    const { open, runner } = setup();
    runner.define('j', ['-e', '0']);
    let offset = 0;
    const s = new Scheduler({
      db: open(),
      supervisor: runner,
      logger: silentLogger,
      now: () => Date.now() + offset,
      clockCheckMs: 50,
    });
    const fired: FiredEvent[] = [];
    s.on('fired', (e) => fired.push(e));
    cleanups.push(() => s.dispose());
    s.setSpecs([spec('j', { every: '1h', catch_up: 'last' })]);
    s.start();
    const armed = s.info('j')!.next_run!;
    offset = 3 * 3_600_000 + 60_000; // "woke up" 3 h later: three hourly runs were missed
    await waitFor(() => fired.length > 0, { timeout: 3_000, what: 'catch-up after the jump' });
    expect(fired.map((f) => f.action)).toEqual(['started']);
    expect(runner.starts).toHaveLength(1);
    expect(s.info('j')!.next_run).toBe(armed + 3 * 3_600_000); // back on the anchored grid, after "now"
  });

  it('setEnabled(false) stops firing and persists; a bad cron is refused without throwing', async () => {
    const { open, runner } = setup();
    runner.define('e', ['-e', '0']);
    const errors: string[] = [];
    const logger: Logger = { ...silentLogger, error: (m) => void errors.push(m), child: () => logger };
    const db = open();
    const { s } = scheduler(db, runner, logger);
    // The config schema refuses this cron now; the scheduler must still survive a spec that slipped past it.
    const bad = spec('bad', { cron: '0 * * * *' });
    s.setSpecs([spec('e', { every: '1h' }), { ...bad, schedule: { ...bad.schedule!, cron: '61 * * * *' } }]);
    s.start();
    expect(errors.join()).toMatch(/"bad" refused: schedule\.cron/);
    expect(s.setEnabled('e', false)).toBe(true);
    expect(s.info('e')).toMatchObject({ enabled: false, next_run: null });
    expect(s.setEnabled('nope', false)).toBe(false);
    const again = scheduler(db, runner);
    again.s.setSpecs([spec('e', { every: '1h' })]);
    expect(again.s.info('e')!.enabled).toBe(false);
  });
});
