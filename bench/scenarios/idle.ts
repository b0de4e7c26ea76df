/** Scenario 2: what a daemon costs while 50 `sleep` children do nothing: CPU time over a window, and RSS. */
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '../../test/helpers/wait';
import { sleeper } from '../lib/children';
import { newMark, withPeer, type BenchContext } from '../lib/harness';
import { cpuMs, MARK_VAR, markedPids, rssAnonBytes, rssBytes } from '../lib/procfs';
import type { ScenarioResult } from '../lib/scenario';
import type { PeerName } from '../peers/peer';

export const IDLE_CHILDREN = 50;
const SETTLE_MS = 65_000;

export async function idleScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const windowMs = ctx.quick ? 5_000 : 60_000;
  const cpuPct: Partial<Record<PeerName, number[]>> = {};
  const rssMb: Partial<Record<PeerName, number[]>> = {};
  const anonMb: Partial<Record<PeerName, number[]>> = {};
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
        const t0 = performance.now();
        await sleep(windowMs); // a measurement window, not a wait for a condition
        const cpu = cpuMs(pid) - c0;
        const elapsed = performance.now() - t0;
        (cpuPct[f.name] ??= []).push((100 * cpu) / elapsed);
        (rssMb[f.name] ??= []).push(rssBytes(pid) / 1048576);
        (anonMb[f.name] ??= []).push(rssAnonBytes(pid) / 1048576);
        ctx.log(
          `  idle ${f.name}: ${cpu.toFixed(0)} ms CPU in ${(elapsed / 1000).toFixed(1)} s, RSS ${(rssBytes(pid) / 1048576).toFixed(1)} MB`,
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
      { name: 'daemon RSS', unit: 'MB', samples: rssMb, targets: [{ peer: 'pm2', maxRatio: 0.8 }] },
      { name: 'daemon RssAnon (own heaps, no shared code)', unit: 'MB', samples: anonMb },
    ],
    notes: [
      `utime+stime of the daemon pid from /proc/<pid>/stat over ${windowMs / 1000} s, starting ${ctx.quick ? 1 : SETTLE_MS / 1000} s after all children run (PM2: the God daemon; children not included).`,
    ],
  };
}
