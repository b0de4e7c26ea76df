/** Scenario 2: what a daemon costs while 50 `sleep` children do nothing: CPU time over a window, and RSS. */
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '../../test/helpers/wait';
import { sleeper } from '../lib/children';
import { newMark, withPeer, type BenchContext } from '../lib/harness';
import { cpuMs, cpuMsPrecise, MARK_VAR, markedPids, rssAnonBytes, rssBytes } from '../lib/procfs';
import type { ScenarioResult } from '../lib/scenario';
import type { PeerName } from '../peers/peer';

export const IDLE_CHILDREN = 50;
const SETTLE_MS = 65_000;

export async function idleScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const windowMs = ctx.quick ? 5_000 : 60_000;
  const cpuPct: Partial<Record<PeerName, number[]>> = {};
  const rssMb: Partial<Record<PeerName, number[]>> = {};
  const anonMb: Partial<Record<PeerName, number[]>> = {};
  const cpuMsWindow: Partial<Record<PeerName, number[]>> = {};
  let clock: 'schedstat' | 'ticks' = 'schedstat';
  for (const f of ctx.peers) {
    const mark = newMark('idle');
    await withPeer(
      f,
      mark,
      () => Array.from({ length: IDLE_CHILDREN }, (_, i) => sleeper(`idle${i}`, { [MARK_VAR]: mark })),
      async (peer) => {
        await waitFor(() => markedPids(mark).length === IDLE_CHILDREN, {
          timeout: 120_000,
          interval: 100,
          what: `${IDLE_CHILDREN} idle children`,
        });
        // The window starts once start-up work is over, V8's included: after start-up its memory reducer runs a
        // few GCs for about a minute (a CPU profile of an idle Sentinel shows nothing else in the first minute:
        // 14 ticks in 5–65 s, 1 tick in 70–130 s). Every peer gets the same settle; what is measured is rest.
        await sleep(ctx.quick ? 1_000 : SETTLE_MS);
        const pid = peer.daemonPid();
        const c0 = cpuMs(pid);
        const p0 = cpuMsPrecise(pid);
        const t0 = performance.now();
        await sleep(windowMs); // a measurement window, not a wait for a condition
        const ticks = cpuMs(pid) - c0;
        const p1 = cpuMsPrecise(pid);
        const precise = p0 !== undefined && p1 !== undefined;
        const cpu = precise ? p1 - p0 : ticks;
        clock = precise ? clock : 'ticks';
        const elapsed = performance.now() - t0;
        (cpuPct[f.name] ??= []).push((100 * cpu) / elapsed);
        (cpuMsWindow[f.name] ??= []).push(cpu);
        (rssMb[f.name] ??= []).push(rssBytes(pid) / 1048576);
        (anonMb[f.name] ??= []).push(rssAnonBytes(pid) / 1048576);
        ctx.log(
          `  idle ${f.name}: ${cpu.toFixed(2)} ms CPU (${ticks} ms in clock ticks) in ${(elapsed / 1000).toFixed(1)} s, RSS ${(rssBytes(pid) / 1048576).toFixed(1)} MB`,
        );
      },
    );
  }
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
      `the window: ${windowMs / 1000} s, starting ${ctx.quick ? 1 : SETTLE_MS / 1000} s after all children run (PM2: the God daemon; children not included).`,
    ],
  };
}
