/** Scenario 1: crash → running again at zero restart delay. Latency = next child start − previous child exit. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../../test/helpers/wait';
import { CHILD, nodeProgram, type Program } from '../lib/children';
import { newMark, withPeer, type BenchContext } from '../lib/harness';
import { MARK_VAR } from '../lib/procfs';
import type { ScenarioResult } from '../lib/scenario';
import { percentile } from '../lib/stats';
import { exited } from '../lib/exec';
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

/**
 * The same crasher under bench/children/respawn.mjs, a bare Node respawn loop: what any Node supervisor pays at
 * least (the exit event, a fork/exec, the child's own start-up). A peer's overhead is its figure minus this one.
 */
async function floorRound(kind: keyof typeof CRASHERS, perRound: number): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-bench-floor-'));
  try {
    const mark = newMark('floor');
    const p = CRASHERS[kind](join(dir, 'crash.log'), mark);
    const loop = spawn(process.execPath, [CHILD.respawn, p.command, ...p.args], {
      env: { ...process.env, ...p.env, RESPAWN_TIMES: String(perRound + 1) },
      stdio: 'ignore',
    });
    await exited(loop);
    return crashLatencies(readFileSync(join(dir, 'crash.log'), 'utf8')).slice(0, perRound);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function crashScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const rounds = ctx.quick ? 2 : 3;
  const perRound = ctx.quick ? 5 : 12;
  const samples: Record<keyof typeof CRASHERS, Partial<Record<PeerName | 'floor', number[]>>> = { node: {}, sh: {} };
  for (let round = 0; round < rounds; round++) {
    for (const kind of ['node', 'sh'] as const) {
      const floor = await floorRound(kind, perRound);
      (samples[kind].floor ??= []).push(...floor);
      ctx.log(
        `  crash round ${round + 1}/${rounds} ${kind} child, bare Node respawn: median so far ${percentile(samples[kind].floor!, 50).toFixed(1)} ms`,
      );
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
  const targets = [{ peer: 'supervisord' as const, maxRatio: 0.2 }];
  /** Each peer's samples minus the floor's median: what the supervisor adds to a bare respawn. */
  const overhead = (kind: keyof typeof CRASHERS) => {
    const floor = percentile(samples[kind].floor ?? [0], 50);
    const out: Partial<Record<PeerName, number[]>> = {};
    for (const [peer, xs] of Object.entries(samples[kind]))
      if (peer !== 'floor') out[peer as PeerName] = xs.map((x) => x - floor);
    return out;
  };
  const overheadTargets = [{ peer: 'pm2' as const, maxRatio: 0.5 }];
  return {
    scenario: '1. crash → running (restart delay 0)',
    metrics: [
      { name: 'exit → next start, node child', unit: 'ms', samples: samples.node, targets },
      { name: 'overhead above the floor, node child', unit: 'ms', samples: overhead('node'), targets: overheadTargets },
      { name: 'exit → next start, sh child', unit: 'ms', samples: samples.sh, targets },
      { name: 'overhead above the floor, sh child', unit: 'ms', samples: overhead('sh'), targets: overheadTargets },
    ],
    notes: [
      `${rounds} alternating rounds × ${perRound} restarts per peer and child; each child lives 50 ms and exits 1.`,
      'floor: the same child under bench/children/respawn.mjs, a bare Node loop that respawns on the exit event (piped output, nothing else), run in each round beside the peers; "overhead above the floor" = a peer\'s samples minus the floor\'s median.',
      "node child: stamps are performance.timeOrigin + performance.now() at its first line, so node's own start-up is inside the figure; sh child: date +%s%6N, start-up ≈ 1 ms, so the figure is the supervisor's.",
    ],
  };
}
