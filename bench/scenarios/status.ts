/** Scenario 3: command round-trip, the whole CLI process: `sentinel status --json` / `pm2 jlist` / `supervisorctl status`. */
import { sleeper } from '../lib/children';
import { run } from '../lib/exec';
import { newMark, withPeer, type BenchContext, type PeerFactory } from '../lib/harness';
import { MARK_VAR } from '../lib/procfs';
import type { ScenarioResult } from '../lib/scenario';
import type { Peer, PeerName } from '../peers/peer';

const CHILDREN = 5;

export async function statusScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const iterations = ctx.quick ? 5 : 20;
  const samples: Partial<Record<PeerName, number[]>> = {};
  const mark = newMark('status');
  // All daemons run at once so the calls can alternate peer by peer, sharing whatever load the machine has.
  const started: Peer[] = [];
  const nest = async (rest: PeerFactory[]): Promise<void> => {
    const [f, ...more] = rest;
    if (!f) return measure();
    await withPeer(
      f,
      mark,
      () => Array.from({ length: CHILDREN }, (_, i) => sleeper(`st${i}`, { [MARK_VAR]: mark })),
      async (peer) => {
        started.push(peer);
        await nest(more);
      },
    );
  };
  const measure = async () => {
    for (const peer of started)
      await run(peer.statusCommand().command, peer.statusCommand().args, { env: peer.statusCommand().env }); // warm the page cache
    for (let i = 0; i < iterations; i++) {
      for (const peer of started) {
        const { command, args, env } = peer.statusCommand();
        const r = await run(command, args, { env });
        if (r.code !== 0 && peer.name !== 'supervisord')
          throw new Error(`${peer.name} status failed (${r.code}): ${r.stderr.slice(-300)}`);
        (samples[peer.name] ??= []).push(r.ms);
      }
    }
  };
  await nest(ctx.peers);
  return {
    scenario: '3. status round-trip (whole CLI process)',
    metrics: [{ name: 'status command wall time', unit: 'ms', samples, targets: [{ peer: 'pm2', maxRatio: 0.5 }] }],
    notes: [
      `${iterations} calls per peer, interleaved, ${CHILDREN} processes supervised; supervisorctl exits non-zero when a program is not RUNNING, which is not an error here.`,
    ],
  };
}
