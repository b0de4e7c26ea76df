/**
 * Stopping children that resist: one ignores SIGTERM (SIGKILL must follow after the configured grace), one
 * daemonizes by double fork (its grandchild is re-parented away from the supervisor but stays in the process
 * group, so killing the group must take it too).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { markedProcesses } from '../../bench/lib/procfs';
import { waitFor } from '../helpers/wait';
import { tempDir } from '../helpers/tmp';
import { CLI_MISSING, SentinelDaemon, useDaemon } from './support/daemon';
import { CHILDREN, NAME_VAR, node, sh } from './support/programs';

const GRACE_MS = 1500;
const mark = `stop-${process.pid}`;
const byName = (name: string) => markedProcesses(mark).filter((p) => p.env[NAME_VAR] === name);

describe.skipIf(CLI_MISSING)('stopping children that resist', () => {
  const tmp = tempDir('sentinel-reli-stop-');
  const ready = join(tmp.dir, 'stubborn.ready');
  const daemon = new SentinelDaemon(tmp.dir, {
    processes: [
      node(mark, 'stubborn', CHILDREN.ignoreTerm, {
        env: { READY_FILE: ready },
        stop: { signal: 'SIGTERM', timeout: GRACE_MS },
      }),
      // The subshell forks `sleep` into the background and exits: the sleep is re-parented (double fork) but keeps
      // the process group; the supervised pid then becomes the second sleep.
      sh(mark, 'daemonizer', '( exec sleep 100001 & ) ; exec sleep 100002', {
        stop: { signal: 'SIGTERM', timeout: 5000 },
      }),
    ],
  });

  useDaemon(daemon, mark, tmp.cleanup);

  it('SIGKILLs a child that ignores SIGTERM once the stop grace is over', async () => {
    await waitFor(() => existsSync(ready) && byName('stubborn').length === 1, { what: 'stubborn ready' });
    const [child] = byName('stubborn');
    const t0 = performance.now();
    const r = await daemon.cli('stop', 'stubborn');
    expect(r.code, r.stderr).toBe(0);
    await waitFor(() => !markedProcesses(mark).some((p) => p.pid === child!.pid), {
      timeout: GRACE_MS + 10_000,
      interval: 10,
      what: 'stubborn gone',
    });
    const took = performance.now() - t0;
    console.log(`[reliability] stop: SIGTERM-ignoring child gone after ${took.toFixed(0)} ms (grace ${GRACE_MS} ms)`);
    // Not before the grace (SIGTERM alone cannot end it), and not long after it (generous: the machine is shared).
    expect(took).toBeGreaterThanOrEqual(GRACE_MS - 100);
    expect(took).toBeLessThan(GRACE_MS + 5000);
    await waitFor(async () => (await daemon.process('stubborn')).state === 'stopped', {
      what: 'stubborn state stopped',
    });
  });

  it('stops a double-forked child through its process group', async () => {
    const found = await waitFor(() => (byName('daemonizer').length === 2 ? byName('daemonizer') : undefined), {
      what: 'daemonizer and its grandchild',
    });
    // The grandchild is no child of the supervised pid any more, but shares its group.
    expect(new Set(found.map((p) => p.pgrp)).size).toBe(1);
    const r = await daemon.cli('stop', 'daemonizer');
    expect(r.code, r.stderr).toBe(0);
    await waitFor(() => byName('daemonizer').length === 0, { timeout: 10_000, what: 'daemonizer and grandchild gone' });
    await waitFor(async () => (await daemon.process('daemonizer')).state === 'stopped', {
      what: 'daemonizer state stopped',
    });
  });
});
