/** Scenario 1: crash → running again at zero restart delay. Latency = next child start − previous child exit. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../../test/helpers/wait';
import { CHILD, nodeProgram, type Program } from '../lib/children';
import { newMark, withPeer, type BenchContext } from '../lib/harness';
import { MARK_VAR } from '../lib/procfs';
import type { ScenarioResult } from '../lib/scenario';
import { percentile } from '../lib/stats';
import type { PeerName } from '../peers/peer';

/**
 * Restart latencies from a crasher log ("start <pid> <ms>" / "exit <pid> <ms>" lines, or "<µs>us" from the shell
 * crasher; any order): each exit paired
 * with the first start after it. An exit with no later start (the end of the run) yields nothing.
 */
export function crashLatencies(text: string): number[] {
  const events = text
    .split('\n')
    .map((l) => /^(start|exit) (\d+) ([\d.]+)(us)?$/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ kind: m[1] as 'start' | 'exit', at: m[4] ? Number(m[3]) / 1000 : Number(m[3]) }))
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

/**
 * The two crashers: a node child (what people supervise; its own start-up, ~80 ms here, is inside the figure) and
 * a /bin/sh child stamping with date(1) in microseconds, whose start-up is ~1 ms, so the figure is the supervisor's.
 */
const CRASHERS: Record<'node' | 'sh', (log: string, mark: string) => Program> = {
  node: (log, mark) =>
    nodeProgram('crasher', CHILD.crasher, { CRASH_LOG: log, CRASH_LIFE_MS: '50', [MARK_VAR]: mark }, 'always'),
  sh: (log, mark) => ({
    name: 'crasher',
    command: '/bin/sh',
    args: [
      '-c',
      'echo "start $$ $(date +%s%6N)us" >> "$CRASH_LOG"; sleep 0.05; echo "exit $$ $(date +%s%6N)us" >> "$CRASH_LOG"; exit 1',
    ],
    env: { CRASH_LOG: log, [MARK_VAR]: mark },
    restart: 'always',
  }),
};

export async function crashScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const rounds = ctx.quick ? 2 : 3;
  const perRound = ctx.quick ? 5 : 12;
  const samples: Record<keyof typeof CRASHERS, Partial<Record<PeerName, number[]>>> = { node: {}, sh: {} };
  for (let round = 0; round < rounds; round++) {
    for (const kind of ['node', 'sh'] as const) {
      for (const f of ctx.peers) {
        const mark = newMark('crash');
        const got = await withPeer(
          f,
          mark,
          (dir) => [CRASHERS[kind](join(dir, 'crash.log'), mark)],
          async (_peer, dir) => {
            const read = () => crashLatencies(readFileSync(join(dir, 'crash.log'), 'utf8'));
            return waitFor(() => (read().length >= perRound ? read().slice(0, perRound) : undefined), {
              timeout: 120_000,
              interval: 50,
              what: `${perRound} restarts under ${f.name}`,
            });
          },
        );
        (samples[kind][f.name] ??= []).push(...got);
        ctx.log(
          `  crash round ${round + 1}/${rounds} ${kind} child, ${f.name}: median so far ${percentile(samples[kind][f.name]!, 50).toFixed(1)} ms`,
        );
      }
    }
  }
  const targets = [
    { peer: 'pm2' as const, maxRatio: 0.5 },
    { peer: 'supervisord' as const, maxRatio: 0.2 },
  ];
  return {
    scenario: '1. crash → running (restart delay 0)',
    metrics: [
      { name: 'exit → next start, node child', unit: 'ms', samples: samples.node, targets },
      { name: 'exit → next start, sh child', unit: 'ms', samples: samples.sh, targets },
    ],
    notes: [
      `${rounds} alternating rounds × ${perRound} restarts per peer and child; each child lives 50 ms and exits 1.`,
      "node child: stamps are performance.timeOrigin + performance.now() at its first line, so node's own start-up is inside the figure; sh child: date +%s%6N, start-up ≈ 1 ms, so the figure is the supervisor's.",
    ],
  };
}
