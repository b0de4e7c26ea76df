/**
 * A child crash-looping at zero restart delay for RELI_CRASHLOOP_MS (default 60 s): the supervisor's CPU stays
 * bounded, there is never more than one instance alive (no fork storm), and a second child with a small retry
 * budget ends `fatal` after exactly the configured number of restarts and is never spawned again.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { cpuMs, markedProcesses, rssBytes } from '../../bench/lib/procfs';
import { waitFor } from '../helpers/wait';
import { tempDir } from '../helpers/tmp';
import { CLI_MISSING, SentinelDaemon, useDaemon } from './support/daemon';
import { NAME_VAR, sh } from './support/programs';

const DURATION_MS = Number(process.env.RELI_CRASHLOOP_MS ?? '60000');
/** Average supervisor CPU over the loop, % of one core. Zero delay must not mean a busy core. */
export const CPU_BOUND_PCT = 50;
const RETRIES = 5;
const mark = `crashloop-${process.pid}`;
const lines = (file: string) => {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
};

describe.skipIf(CLI_MISSING)('crash loop at zero delay', () => {
  const tmp = tempDir('sentinel-reli-loop-');
  const loopStarts = join(tmp.dir, 'loop.starts');
  const doomedStarts = join(tmp.dir, 'doomed.starts');
  const daemon = new SentinelDaemon(tmp.dir, {
    processes: [
      sh(mark, 'loop', `echo $$ >> ${loopStarts}; exit 1`, {
        restart: { delay: 0, backoff: 1, max_retries: 1_000_000_000 },
      }),
      sh(mark, 'doomed', `echo $$ >> ${doomedStarts}; exit 3`, {
        restart: { policy: 'on-failure', delay: 0, backoff: 1, max_retries: RETRIES, window: 600_000 },
      }),
    ],
  });

  useDaemon(daemon, mark, tmp.cleanup);

  it(`keeps supervisor CPU under ${CPU_BOUND_PCT}% of a core and never runs two instances`, async () => {
    const pid = daemon.pid;
    const c0 = cpuMs(pid);
    const s0 = lines(loopStarts);
    const t0 = performance.now();
    let maxAlive = 0;
    let maxRss = 0;
    // Sample the children as often as /proc allows for the whole window (this is the measurement, not a wait).
    while (performance.now() - t0 < DURATION_MS) {
      maxAlive = Math.max(maxAlive, markedProcesses(mark).filter((p) => p.env[NAME_VAR] === 'loop').length);
      maxRss = Math.max(maxRss, rssBytes(pid));
      await sleep(100);
    }
    const elapsed = performance.now() - t0;
    const cpuPct = (100 * (cpuMs(pid) - c0)) / elapsed;
    const starts = lines(loopStarts) - s0;
    console.log(
      `[reliability] crashloop: ${starts} starts in ${(elapsed / 1000).toFixed(1)} s (${((1000 * starts) / elapsed).toFixed(1)}/s), supervisor CPU ${cpuPct.toFixed(1)}% of a core, max RSS ${(maxRss / 1048576).toFixed(0)} MB, max alive ${maxAlive}`,
    );
    expect(starts, 'the loop kept restarting').toBeGreaterThan(0);
    expect(maxAlive, 'instances alive at once').toBeLessThanOrEqual(1);
    expect(cpuPct, 'supervisor CPU % of a core').toBeLessThanOrEqual(CPU_BOUND_PCT);
    daemon.assertAlive();
  });

  it(`ends "doomed" fatal after ${RETRIES} restarts and spawns it no more`, async () => {
    await waitFor(async () => (await daemon.process('doomed')).state === 'fatal', {
      timeout: 30_000,
      what: 'doomed fatal',
    });
    const spawned = lines(doomedStarts);
    expect(spawned, 'first start + restarts').toBe(RETRIES + 1);
    // Fatal is final: a later look finds no new start (checked after a status round-trip, not a sleep).
    await daemon.process('doomed');
    expect(lines(doomedStarts)).toBe(spawned);
  });
});
