/** Scenario 4: log capture. A child writes N lines as fast as it can; time until all are stored and queryable. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../../test/helpers/wait';
import { CHILD, nodeProgram } from '../lib/children';
import { newMark, withPeer, type BenchContext } from '../lib/harness';
import { MARK_VAR, cpuMs, rssBytes } from '../lib/procfs';
import type { ScenarioResult } from '../lib/scenario';
import type { PeerName } from '../peers/peer';

/** A capture that has not grown for this long is finished: whatever is missing then is lost. */
const STALL_MS = 15_000;
/**
 * Floods per peer (interleaved: every peer once, then again): one flood takes under a second, so a single one is at
 * the mercy of whatever else the machine does in it (session 6's runs gave Sentinel/PM2 1.02× to 1.54×).
 */
const ROUNDS = 3;

export async function logsScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const lines = ctx.quick ? 100_000 : 1_000_000;
  const rate: Partial<Record<PeerName, number[]>> = {};
  const seconds: Partial<Record<PeerName, number[]>> = {};
  const lost: Partial<Record<PeerName, number[]>> = {};
  const peakRss: Partial<Record<PeerName, number[]>> = {};
  const cpuPerM: Partial<Record<PeerName, number[]>> = {};
  for (let round = 1; round <= (ctx.quick ? 1 : ROUNDS); round++)
    for (const f of ctx.peers) {
      const mark = newMark('logs');
      await withPeer(
        f,
        mark,
        (dir) => [
          nodeProgram(
            'flood',
            CHILD.flood,
            { FLOOD_LINES: String(lines), FLOOD_STARTED: join(dir, 'flood.started'), [MARK_VAR]: mark },
            'never',
          ),
        ],
        async (peer, dir) => {
          let peak = 0;
          let last = { count: -1, at: Date.now() };
          // The daemon's CPU from the first stored line to the last: its cost per line, which the load of other
          // processes on the machine does not change as much as it changes the wall time.
          let first: { count: number; cpu: number } | undefined;
          const final = await waitFor(
            async () => {
              peak = Math.max(peak, rssBytes(peer.daemonPid()));
              const count = await peer.capturedLines('flood');
              const now = Date.now();
              if (first === undefined && count > 0) first = { count, cpu: cpuMs(peer.daemonPid()) };
              if (count !== last.count) last = { count, at: now };
              if (count >= lines) return { count, at: performance.timeOrigin + performance.now() };
              if (count > 0 && now - last.at > STALL_MS) return { count, at: last.at };
              return undefined;
            },
            { timeout: 600_000, interval: 50, what: `${lines} captured lines under ${f.name}` },
          );
          const cpu = cpuMs(peer.daemonPid()) - (first?.cpu ?? 0);
          const cpuLines = final.count - (first?.count ?? 0);
          const started = Number(readFileSync(join(dir, 'flood.started'), 'utf8').trim());
          const secs = (final.at - started) / 1000;
          (seconds[f.name] ??= []).push(secs);
          (rate[f.name] ??= []).push(final.count / secs);
          (lost[f.name] ??= []).push(lines - final.count);
          (peakRss[f.name] ??= []).push(peak / 1048576);
          if (cpuLines > 0) (cpuPerM[f.name] ??= []).push((cpu * 1e6) / cpuLines);
          ctx.log(
            `  logs ${f.name} (round ${round}): ${final.count}/${lines} lines in ${secs.toFixed(2)} s, daemon peak RSS ${(peak / 1048576).toFixed(0)} MB, daemon CPU ${cpu} ms for the last ${cpuLines} lines`,
          );
        },
      );
    }
  return {
    scenario: `4. log capture, ${lines.toLocaleString('en')} lines`,
    metrics: [
      { name: 'lines stored per second', unit: 'lines/s', samples: rate, targets: [{ peer: 'pm2', minRatio: 1 }] },
      { name: 'child start → all lines queryable', unit: 's', samples: seconds },
      { name: 'lines lost', unit: 'lines', samples: lost, targets: [{ maxP99: 0 }] },
      { name: 'daemon peak RSS during the flood', unit: 'MB', samples: peakRss },
      { name: 'daemon CPU per million lines stored', unit: 'ms', samples: cpuPerM },
    ],
    notes: [
      `${ctx.quick ? 1 : ROUNDS} flood(s) per peer, interleaved (every peer once, then again); the medians are compared.`,
      'Sentinel: rows with stream=out in the logs table, counted through a read-only connection; PM2 and supervisord: lines in the out log file (no rotation).',
      `A capture that stops growing for ${STALL_MS / 1000} s counts as finished; the missing lines are "lost".`,
    ],
  };
}
