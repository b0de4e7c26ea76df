/** Scheduler and ResourceMonitor driving the real Supervisor (real children, real process groups). */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ProcessSchema } from '../../../src-main/core/config/schema';
import { openDb } from '../../../src-main/core/store/db';
import { Scheduler, type FiredEvent } from '../../../src-main/core/scheduler/scheduler';
import { ResourceMonitor, type LimitEvent } from '../../../src-main/core/limits/resource-monitor';
import { Supervisor, type TransitionEvent } from '../../../src-main/core/supervisor/supervisor';
import { silentLogger } from '../../../src-main/core/util/logger';
import { tempDir } from '../../helpers/tmp';
import { waitFor, waitForEvent } from '../../helpers/wait';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function setup() {
  const { dir, cleanup } = tempDir();
  const db = openDb(join(dir, 'sentinel.db'));
  const sup = new Supervisor({ db, logger: silentLogger });
  cleanups.push(
    cleanup,
    () => db.close(),
    () => sup.shutdown(),
  );
  const spawned: number[] = [];
  sup.on('transition', (t: TransitionEvent) => t.from === 'starting' && t.to === 'starting' && spawned.push(t.at));
  return { db, sup, spawned };
}

describe('with the real Supervisor', () => {
  it('the scheduler starts a scheduled job on time and skips while it still runs', async () => {
    const { db, sup, spawned } = setup();
    const specs = [
      ProcessSchema.parse({
        name: 'job',
        command: process.execPath,
        args: ['-e', 'setTimeout(() => {}, 900)'],
        schedule: { every: '400ms' },
        restart: { start_secs: 0 },
      }),
    ];
    sup.setSpecs(specs);
    await sup.startAutostart();
    expect(sup.info('job').state).toBe('stopped'); // scheduled: not autostarted
    const s = new Scheduler({ db, supervisor: sup, logger: silentLogger });
    cleanups.push(() => s.dispose());
    const fired: FiredEvent[] = [];
    s.on('fired', (e) => fired.push(e));
    s.setSpecs(specs);
    s.start();
    await waitFor(() => spawned.length >= 2, { timeout: 8_000, what: 'two scheduled runs' });
    expect(fired[0]!.action).toBe('started');
    expect(fired.some((f) => f.action === 'skipped')).toBe(true);
    expect(s.list()[0]!.skipped).toBeGreaterThanOrEqual(1);
  });

  it('a memory limit restarts the process through the Supervisor, reason stored', async () => {
    const { db, sup, spawned } = setup();
    const hog =
      'const a = []; const t = setInterval(() => { a.push(Buffer.alloc(10 * 1024 * 1024, 1)); if (a.length >= 25) clearInterval(t) }, 40); setInterval(() => {}, 1000)';
    const specs = [
      ProcessSchema.parse({
        name: 'hog',
        command: process.execPath,
        args: ['-e', hog],
        limits: { memory: '120MB', for: '300ms', sample_interval: '100ms' },
      }),
    ];
    sup.setSpecs(specs);
    await sup.startAutostart();
    const m = new ResourceMonitor({ db, supervisor: sup, logger: silentLogger, flushMs: 100 });
    cleanups.push(() => m.stop());
    m.setSpecs(specs);
    m.start();
    const [e] = await waitForEvent<[LimitEvent]>(m, 'limit', { timeout: 10_000 });
    expect(e).toMatchObject({ process: 'hog', resource: 'memory', action: 'restart' });
    await waitFor(() => spawned.length >= 2, { timeout: 5_000, what: 'restart by the limit' });
    const rows = db.prepare("SELECT reason FROM events WHERE process = 'hog' AND reason LIKE 'memory %'").all() as {
      reason: string;
    }[];
    expect(rows[0]!.reason).toMatch(/^memory [\d.]+MB > 120MB for \d+ms → restart$/);
  });
});
