/**
 * Scenario 2: what a daemon costs while 50 `sleep` children do nothing: CPU time over a window, and RSS. Beside the
 * peers, the floor: bench/children/idle-floor.cjs, the least a Node supervisor with the same duties holds.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '../../test/helpers/wait';
import { CHILD, sleeper } from '../lib/children';
import { exited } from '../lib/exec';
import { newMark, withPeer, type BenchContext } from '../lib/harness';
import { cpuMs, cpuMsPrecise, killMarked, MARK_VAR, markedPids, rssAnonBytes, rssBytes } from '../lib/procfs';
import type { ScenarioResult } from '../lib/scenario';
import type { PeerName } from '../peers/peer';

export const IDLE_CHILDREN = 50;
const SETTLE_MS = 65_000;

type Row = PeerName | 'floor';
type Samples = Partial<Record<Row, number[]>>;

export async function idleScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const windowMs = ctx.quick ? 5_000 : 60_000;
  const settleMs = ctx.quick ? 1_000 : SETTLE_MS;
  const cpuPct: Samples = {};
  const cpuMsWindow: Samples = {};
  const rssMb: Samples = {};
  const anonMb: Samples = {};
  let clock: 'schedstat' | 'ticks' = 'schedstat';

  /** Waits for the children, lets start-up settle, then measures the daemon `pid` at rest. */
  const measure = async (row: Row, mark: string, pid: () => number): Promise<void> => {
    await waitFor(() => markedPids(mark).length === IDLE_CHILDREN, {
      timeout: 120_000,
      interval: 100,
      what: `${IDLE_CHILDREN} idle children under ${row}`,
    });
    // The window starts once start-up work is over, V8's included: after start-up its memory reducer runs a
    // few GCs for about a minute (a CPU profile of an idle Sentinel shows nothing else in the first minute:
    // 14 ticks in 5–65 s, 1 tick in 70–130 s). Every peer gets the same settle; what is measured is rest.
    await sleep(settleMs);
    const p = pid();
    const c0 = cpuMs(p);
    const p0 = cpuMsPrecise(p);
    const t0 = performance.now();
    await sleep(windowMs); // a measurement window, not a wait for a condition
    const ticks = cpuMs(p) - c0;
    const p1 = cpuMsPrecise(p);
    const precise = p0 !== undefined && p1 !== undefined;
    const cpu = precise ? p1 - p0 : ticks;
    if (!precise) clock = 'ticks';
    const elapsed = performance.now() - t0;
    (cpuPct[row] ??= []).push((100 * cpu) / elapsed);
    (cpuMsWindow[row] ??= []).push(cpu);
    (rssMb[row] ??= []).push(rssBytes(p) / 1048576);
    (anonMb[row] ??= []).push(rssAnonBytes(p) / 1048576);
    ctx.log(
      `  idle ${row}: ${cpu.toFixed(2)} ms CPU (${ticks} ms in clock ticks) in ${(elapsed / 1000).toFixed(1)} s, RSS ${(rssBytes(p) / 1048576).toFixed(1)} MB`,
    );
  };

  for (const f of ctx.peers) {
    const mark = newMark('idle');
    await withPeer(
      f,
      mark,
      () => Array.from({ length: IDLE_CHILDREN }, (_, i) => sleeper(`idle${i}`, { [MARK_VAR]: mark })),
      (peer) => measure(f.name, mark, () => peer.daemonPid()),
    );
  }
  await measureFloor(measure);

  return {
    scenario: `2. idle cost, ${IDLE_CHILDREN} sleeping children`,
    metrics: [
      {
        name: 'daemon CPU',
        unit: '% of one core',
        samples: cpuPct,
        targets: [
          { peer: 'pm2', maxRatio: 0.4 },
          { peer: 'supervisord', maxRatio: 1 },
        ],
      },
      { name: `daemon CPU in the ${windowMs / 1000} s window`, unit: 'ms', samples: cpuMsWindow },
      { name: 'daemon RSS', unit: 'MB', samples: rssMb, targets: [{ peer: 'pm2', maxRatio: 0.8 }] },
      { name: 'daemon RssAnon (own heaps, no shared code)', unit: 'MB', samples: anonMb },
    ],
    notes: [
      clock === 'schedstat'
        ? 'CPU: time on a CPU of every thread of the daemon, from /proc/<pid>/task/*/schedstat (nanoseconds; utime+stime count 10 ms ticks, too coarse for a daemon at rest: the log lines give both).'
        : 'CPU: utime+stime from /proc/<pid>/stat (this kernel keeps no schedstat): 10 ms ticks, so figures of 0–30 ms over the window are within one tick of each other.',
      `the window: ${windowMs / 1000} s, starting ${settleMs / 1000} s after all children run (PM2: the God daemon; children not included).`,
      'floor: bench/children/idle-floor.cjs, a bare Node supervisor with the same duties at rest and nothing else — the children with piped output, a SQLite store in WAL, a Unix socket, a loopback HTTP listener, a directory watch, V8 in its interpreter — on the same node. No supervisor written in Node holds less.',
    ],
  };
}

/** The idle floor under the same settle and window as the peers; always killed with its children. */
async function measureFloor(measure: (row: Row, mark: string, pid: () => number) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-bench-idle-floor-'));
  const mark = newMark('idle-floor');
  const floor = spawn(process.execPath, [CHILD.idleFloor, dir, '/bin/sleep', '1000000'], {
    env: { ...process.env, FLOOR_MARK: mark, FLOOR_CHILDREN: String(IDLE_CHILDREN) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await measure('floor', mark, () => {
      if (floor.pid === undefined || floor.exitCode !== null)
        throw new Error(`the idle floor exited ${floor.exitCode}`);
      return floor.pid;
    });
  } finally {
    floor.kill('SIGKILL');
    await exited(floor);
    killMarked(mark);
    rmSync(dir, { recursive: true, force: true });
  }
}
