/** Scenario 1: crash → running again at zero restart delay. Latency = next child start − previous child exit. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../../test/helpers/wait';
import { CHILD, nodeProgram } from '../lib/children';
import { newMark, withPeer, type BenchContext } from '../lib/harness';
import { MARK_VAR } from '../lib/procfs';
import type { ScenarioResult } from '../lib/scenario';
import { percentile } from '../lib/stats';
import type { PeerName } from '../peers/peer';

/**
 * Restart latencies from a crasher log ("start <pid> <ms>" / "exit <pid> <ms>" lines, any order): each exit paired
 * with the first start after it. An exit with no later start (the end of the run) yields nothing.
 */
export function crashLatencies(text: string): number[] {
  const events = text
    .split('\n')
    .map((l) => /^(start|exit) (\d+) ([\d.]+)$/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ kind: m[1] as 'start' | 'exit', at: Number(m[3]) }))
    .sort((a, b) => a.at - b.at);
  const out: number[] = [];
  let pendingExit: number | undefined;
  for (const e of events) {
    if (e.kind === 'exit') pendingExit = e.at;
    else if (pendingExit !== undefined) {
      out.push(e.at - pendingExit);
      pendingExit = undefined;
    }
  }
  return out;
}

export async function crashScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const rounds = ctx.quick ? 2 : 3;
  const perRound = ctx.quick ? 5 : 12;
  const samples: Partial<Record<PeerName, number[]>> = {};
  for (let round = 0; round < rounds; round++) {
    for (const f of ctx.peers) {
      const mark = newMark('crash');
      const got = await withPeer(
        f,
        mark,
        (dir) => [nodeProgram('crasher', CHILD.crasher, { CRASH_LOG: join(dir, 'crash.log'), CRASH_LIFE_MS: '50', [MARK_VAR]: mark }, 'always')],
        async (_peer, dir) => {
          const read = () => crashLatencies(readFileSync(join(dir, 'crash.log'), 'utf8'));
          return waitFor(() => (read().length >= perRound ? read().slice(0, perRound) : undefined), { timeout: 120_000, interval: 50, what: `${perRound} restarts under ${f.name}` });
        },
      );
      (samples[f.name] ??= []).push(...got);
      ctx.log(`  crash round ${round + 1}/${rounds} ${f.name}: median so far ${percentile(samples[f.name]!, 50).toFixed(1)} ms`);
    }
  }
  return {
    scenario: '1. crash → running (restart delay 0)',
    metrics: [{ name: 'exit → next start', unit: 'ms', samples, targets: [{ peer: 'pm2', maxRatio: 0.5 }, { peer: 'supervisord', maxRatio: 0.2 }] }],
    notes: [`${rounds} alternating rounds × ${perRound} restarts per peer; the child lives 50 ms and exits 1; stamps are performance.timeOrigin + performance.now().`],
  };
}
