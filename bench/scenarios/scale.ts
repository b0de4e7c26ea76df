/** Scenario 5: scale. N supervised processes started (daemon start → all running) and stopped, and daemon RSS. */
import { waitFor } from '../../test/helpers/wait';
import { sleeper } from '../lib/children';
import { newMark, withPeer, type BenchContext, type PeerFactory } from '../lib/harness';
import { MARK_VAR, markedPids, rssBytes } from '../lib/procfs';
import type { ScenarioResult } from '../lib/scenario';
import type { PeerName } from '../peers/peer';

export async function scaleScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const n = ctx.quick ? 100 : 500;
  const toRunning: Partial<Record<PeerName, number[]>> = {};
  const toStopped: Partial<Record<PeerName, number[]>> = {};
  const rss: Partial<Record<PeerName, number[]>> = {};
  const once = async (f: PeerFactory) => {
    const mark = newMark('scale');
    // withPeer's start is part of the measurement here, so the clock starts before it.
    const t0 = performance.now();
    await withPeer(
      f,
      mark,
      () => Array.from({ length: n }, (_, i) => sleeper(`s${i}`, { [MARK_VAR]: mark })),
      async (peer) => {
        await waitFor(() => markedPids(mark).length >= n, {
          timeout: 300_000,
          interval: 50,
          what: `${n} running under ${f.name}`,
        });
        const running = performance.now() - t0;
        const mem = rssBytes(peer.daemonPid()) / 1048576;
        const t1 = performance.now();
        await peer.stopAll();
        await waitFor(() => markedPids(mark).length === 0, {
          timeout: 300_000,
          interval: 50,
          what: `all stopped under ${f.name}`,
        });
        const stopped = performance.now() - t1;
        (toRunning[f.name] ??= []).push(running / 1000);
        (toStopped[f.name] ??= []).push(stopped / 1000);
        (rss[f.name] ??= []).push(mem);
        ctx.log(
          `  scale ${f.name}: ${n} running after ${(running / 1000).toFixed(2)} s, stopped in ${(stopped / 1000).toFixed(2)} s, RSS ${mem.toFixed(0)} MB`,
        );
      },
    );
  };
  for (const f of ctx.peers) await once(f);
  return {
    scenario: `5. scale, ${n} processes`,
    metrics: [
      { name: 'daemon start → all running', unit: 's', samples: toRunning },
      { name: 'stop all → none left', unit: 's', samples: toStopped, targets: n === 500 ? [{ maxP99: 2 }] : [] },
      { name: 'daemon RSS with all running', unit: 'MB', samples: rss },
    ],
    notes: [
      '"Running" = the child exists in /proc carrying this run\'s mark; the daemon start is inside the first figure.',
    ],
  };
}
