import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ProcessSchema } from '../../../src-main/core/config/schema';
import { openDb } from '../../../src-main/core/store/db';
import { ResourceMonitor, type LimitEvent } from '../../../src-main/core/limits/resource-monitor';
import { silentLogger, type Logger } from '../../../src-main/core/util/logger';
import { tempDir } from '../../helpers/tmp';
import { waitFor, waitForEvent } from '../../helpers/wait';
import { RealRunner } from '../scheduler/real-runner';

const MB = 1024 * 1024;
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function setup(logger: Logger = silentLogger) {
  const { dir, cleanup } = tempDir();
  const db = openDb(join(dir, 'sentinel.db'));
  const runner = new RealRunner();
  const monitor = new ResourceMonitor({ db, supervisor: runner, logger, defaultIntervalMs: 100, flushMs: 100 });
  cleanups.push(
    cleanup,
    () => void db.close(),
    () => runner.stopAll(),
    () => monitor.stop(),
  );
  return { db, runner, monitor };
}

describe('ResourceMonitor with real process groups', () => {
  it('sums CPU and memory over the whole process group (leader + child)', async () => {
    const { runner, monitor } = setup();
    // The leader spawns a second node that holds ~64MB; both share the leader's process group.
    const child = `const a = Buffer.alloc(64 * 1024 * 1024, 1); setInterval(() => a[0]++, 1000)`;
    runner.define('fam', [
      '-e',
      `require('child_process').spawn(process.execPath, ['-e', ${JSON.stringify(child)}], { stdio: 'inherit' }); setInterval(() => {}, 1000)`,
    ]);
    monitor.setSpecs([ProcessSchema.parse({ name: 'fam', command: 'node' })]);
    await runner.start('fam');
    monitor.start();
    monitor.watch(); // no limits: sampled only while someone watches
    const stored = await waitFor(
      () => {
        const s = monitor.samples('fam', 0).at(-1);
        return s && s.memory > 64 * MB ? s : null;
      },
      { timeout: 8_000, what: 'a sample covering both pids' },
    );
    expect(stored.memory).toBeGreaterThan(64 * MB);
    expect(monitor.latest('fam')!.memory).toBeGreaterThan(64 * MB);
    expect(monitor.latest('fam')!.cpu).toBeGreaterThanOrEqual(0);
    await runner.stop('fam');
    // A sample already in flight (every 100 ms) may land after the stop with what it read before: wait for one
    // that started after it.
    await waitFor(
      async () => {
        await monitor.sampleNow('fam');
        return monitor.latest('fam') === null;
      },
      { timeout: 5_000, what: 'no usage once the group is gone' },
    );
  });

  it('counts the CPU a busy member used since the previous sample; a sleeping group shows about none', async () => {
    const { runner, monitor } = setup();
    // The leader sleeps; its child spins (both in the leader's group).
    const spin = `const end = Date.now() + 60_000; while (Date.now() < end);`;
    runner.define('busy', [
      '-e',
      `require('child_process').spawn(process.execPath, ['-e', ${JSON.stringify(spin)}], { stdio: 'inherit' }); setInterval(() => {}, 1000)`,
    ]);
    runner.define('idle', ['-e', 'setInterval(() => {}, 1000)']);
    monitor.setSpecs([
      ProcessSchema.parse({ name: 'busy', command: 'node' }),
      ProcessSchema.parse({ name: 'idle', command: 'node' }),
    ]);
    await runner.start('busy');
    await runner.start('idle');
    monitor.start();
    monitor.watch();
    // A loaded 2-core machine may give the spinner a small share; a sleeper uses well under 1 % of a core.
    await waitFor(() => (monitor.latest('busy')?.cpu ?? 0) > 5, { timeout: 8_000, what: 'the spinner’s CPU' });
    await waitFor(
      async () => {
        await monitor.sampleNow('idle');
        const idle = monitor.latest('idle');
        return idle !== null && idle.cpu < 5 && idle.memory > 0;
      },
      { timeout: 8_000, what: 'the sleeper sampled at about no CPU' },
    );
  });

  it('a child growing past its memory limit is restarted within for + one sample interval, reason stored', async () => {
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (m) => void warnings.push(m), child: () => logger };
    const { db, runner, monitor } = setup(logger);
    // Grows ~10MB every 40ms up to 320MB, then holds (bounded so the shared machine is not hurt).
    runner.define('hog', [
      '-e',
      'const a = []; const t = setInterval(() => { a.push(Buffer.alloc(10 * 1024 * 1024, 1)); if (a.length >= 32) clearInterval(t) }, 40); setInterval(() => {}, 1000)',
    ]);
    const forMs = 400;
    const intervalMs = 100;
    monitor.setSpecs([
      ProcessSchema.parse({
        name: 'hog',
        command: 'node',
        limits: { memory: '150MB', for: `${forMs}ms`, sample_interval: `${intervalMs}ms`, action: 'restart' },
      }),
    ]);
    const overAt: number[] = [];
    const probe = setInterval(() => {
      const l = monitor.latest('hog');
      if (l && l.memory > 150 * MB && overAt.length === 0) overAt.push(Date.now());
    }, 10);
    cleanups.push(() => clearInterval(probe));
    await runner.start('hog');
    const firstPid = runner.pidOf('hog');
    monitor.start();
    const [event] = await waitForEvent<[LimitEvent]>(monitor, 'limit', { timeout: 10_000 });
    await waitFor(() => runner.starts.length === 2, { what: 'restart by the limit', timeout: 5_000 });
    const restartedAt = runner.starts[1]!.at;
    expect(runner.pidOf('hog')).not.toBe(firstPid);
    expect(event).toMatchObject({ process: 'hog', resource: 'memory', action: 'restart', limit: 150 * MB });
    expect(event.value).toBeGreaterThan(150 * MB);
    // The first over-limit sample is seen at most one interval after memory crosses; the action after `for`.
    // Generous tolerance for a shared 2-core machine (stop + spawn included).
    expect(restartedAt - overAt[0]!).toBeLessThanOrEqual(forMs + intervalMs + 1_000);
    expect(restartedAt - overAt[0]!).toBeGreaterThanOrEqual(forMs - intervalMs);
    const row = db.prepare("SELECT process, to_state, reason FROM events WHERE process = 'hog'").get() as {
      reason: string;
      to_state: string;
    };
    expect(row.reason).toMatch(/^memory \d+(\.\d)?MB > 150MB for \d+ms → restart$/);
    expect(row.to_state).toBe('running');
    expect(warnings.some((w) => w.includes('"hog" memory'))).toBe(true);
  });

  it('alert only logs and emits; the process keeps running', async () => {
    const { runner, monitor } = setup();
    runner.define('busy', ['-e', 'const a = Buffer.alloc(80 * 1024 * 1024, 1); setInterval(() => a[0]++, 1000)']);
    monitor.setSpecs([
      ProcessSchema.parse({
        name: 'busy',
        command: 'node',
        limits: { memory: '40MB', for: '0ms', sample_interval: '100ms', action: 'alert' },
      }),
    ]);
    await runner.start('busy');
    const pid = runner.pidOf('busy');
    monitor.start();
    const [e] = await waitForEvent<[LimitEvent]>(monitor, 'limit', { timeout: 8_000 });
    expect(e.action).toBe('alert');
    expect(runner.pidOf('busy')).toBe(pid);
    expect(runner.starts).toHaveLength(1);
  });

  it('at rest a process without limits is not sampled; a watch samples and pushes every round; refresh samples once', async () => {
    const { runner, monitor } = setup();
    runner.define('calm', ['-e', 'setInterval(() => {}, 1000)']);
    runner.define('capped', ['-e', 'setInterval(() => {}, 1000)']);
    monitor.setSpecs([
      ProcessSchema.parse({ name: 'calm', command: 'node' }),
      ProcessSchema.parse({
        name: 'capped',
        command: 'node',
        limits: { memory: '1GB', sample_interval: '100ms', action: 'alert' },
      }),
    ]);
    await runner.start('calm');
    await runner.start('capped');
    monitor.start();
    // The limited process is sampled on its own timer; several of its rounds pass without a sample of the other.
    await waitFor(() => monitor.samples('capped', 0).length >= 3, { timeout: 8_000, what: 'rounds of capped' });
    expect(monitor.latest('calm')).toBeNull();
    expect(monitor.samples('calm', 0)).toHaveLength(0);

    const pushed: string[][] = [];
    monitor.on('usage', (u) => pushed.push(u.map((x) => x.process)));
    const unwatch = monitor.watch();
    await waitFor(() => pushed.filter((p) => p.includes('calm')).length >= 2, { timeout: 8_000, what: 'usage pushes' });
    expect(monitor.latest('calm')!.memory).toBeGreaterThan(0);
    unwatch();
    // A round already under way may still finish; after two more rounds of capped, calm's count stands still.
    const rounds = () => monitor.samples('capped', 0).length;
    let mark = rounds();
    await waitFor(() => rounds() >= mark + 2, { timeout: 8_000, what: 'capped rounds' });
    const seen = monitor.samples('calm', 0).length;
    mark = rounds();
    await waitFor(() => rounds() >= mark + 5, { timeout: 8_000, what: 'capped rounds' });
    expect(monitor.samples('calm', 0).length).toBe(seen); // the watch ended: no more samples of calm

    await monitor.refresh(0);
    expect(monitor.samples('calm', 0).length).toBe(seen + 1);
  });
});
