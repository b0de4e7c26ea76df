/**
 * What is a failure, through the real daemon: a crash loop is one failure episode (crash_loop, then fatal when
 * the policy gives up; closed when stable again) with the last log lines; a limit restart counts in `restarts`
 * and the metric and writes a failure with its sample; a person's restart is no failure and draws no recovery.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FailureDetail, FailureSummary, Snapshot } from '../../src-main/shared/contract';
import { killMarked, MARK_VAR } from '../../bench/lib/procfs';
import { tempDir } from '../helpers/tmp';
import { waitFor } from '../helpers/wait';
import { cli, CLI_MISSING, Daemon, httpApi, isolatedEnv } from '../helpers/cli-harness';

const mark = `failure-truth-${process.pid}`;
const env = { [MARK_VAR]: mark };

describe.skipIf(CLI_MISSING)('failures are one truth', () => {
  const tmp = tempDir('sentinel-failures-');
  const dataDir = join(tmp.dir, 'data');
  const e = isolatedEnv(join(tmp.dir, 'home'));
  const at = (f: string) => join(tmp.dir, f);
  let daemon: Daemon;
  const api = <T>(channel: string, input: unknown = {}) => httpApi<T>(dataDir, channel, input);
  const failuresOf = async (service: string) =>
    (await api<{ items: FailureSummary[] }>('failures.list', { service, limit: 50 })).items;
  const pidOf = async (name: string) => (await api<Snapshot>('status.get')).processes.find((p) => p.name === name)!.pid;

  beforeAll(async () => {
    const config = {
      processes: [
        {
          name: 'looper',
          command: '/bin/sh',
          args: ['-c', 'echo "boom from looper"; exit 3'],
          env,
          restart: { delay: '100ms', backoff: 1, max_retries: 3, start_secs: '500ms' },
        },
        {
          // Crashes on its first two starts, then stays up.
          name: 'flaky',
          command: '/bin/sh',
          args: [
            '-c',
            `n=$(cat ${at('flaky.n')} 2>/dev/null || echo 0); n=$((n+1)); echo $n > ${at('flaky.n')}; echo "flaky run $n"; if [ $n -le 2 ]; then exit 1; fi; exec sleep 300`,
          ],
          env,
          restart: { delay: '100ms', backoff: 1, max_retries: 10, start_secs: '300ms', reset_after: '1s' },
        },
        {
          name: 'fat',
          command: 'sleep',
          args: ['300'],
          env,
          limits: { memory: '1KB', for: '0s', sample_interval: '300ms', action: 'restart' },
          restart: { start_secs: 0 },
        },
        {
          // Ready at once on its first start, 6 s late after any restart (red long enough to be seen by a poll
          // on a loaded machine; a recovery that ignored the person's restart would restart it after 5 s).
          name: 'checked',
          command: '/bin/sh',
          args: [
            '-c',
            `rm -f ${at('ready')}; if [ -e ${at('started')} ]; then sleep 6; fi; touch ${at('started')} ${at('ready')}; exec sleep 300`,
          ],
          env,
          // A timeout that spawning `test` meets on a loaded machine: a timed-out check here would be a real
          // failure with a recovery restart, not the person's.
          checks: [
            { type: 'command', command: 'test', args: ['-e', at('ready')], interval: '500ms', timeout: '450ms' },
          ],
        },
      ],
    };
    writeFileSync(at('sentinel.yaml'), stringify(config));
    daemon = new Daemon(['--config', at('sentinel.yaml'), '--data-dir', dataDir], e);
    await daemon.ready();
  }, 60_000);
  afterAll(async () => {
    if (daemon.child.exitCode === null) await daemon.kill('SIGKILL');
    killMarked(mark);
    tmp.cleanup();
  });

  it('a crash loop is one failure episode that turns fatal when the policy gives up, with the last log lines', async () => {
    const [f] = await waitFor(
      async () => {
        const items = await failuresOf('looper');
        return items.length === 1 && items[0]!.kind === 'fatal' ? items : undefined;
      },
      { timeout: 30_000, what: 'looper to give up' },
    );
    expect(f!.outcome).toMatch(/^gave up: /);
    const detail = await api<FailureDetail>('failures.get', { id: f!.id });
    expect(detail.diagnostics.last_log_lines).toEqual(
      expect.arrayContaining([expect.stringContaining('boom from looper')]),
    );
    expect(detail.timeline.map((t) => t.event)).toEqual(expect.arrayContaining(['crash loop', 'gave up']));
  }, 60_000);

  it('a crash loop that settles is closed when the process is stable again', async () => {
    const f = await waitFor(
      async () => (await failuresOf('flaky')).find((x) => x.kind === 'crash_loop' && x.recovered_at !== null),
      { timeout: 30_000, what: 'the flaky episode to close' },
    );
    expect(f.outcome).toBe('stable again');
    expect(await failuresOf('flaky')).toHaveLength(1);
  }, 60_000);

  it('a limit restart counts in restarts and the metric, and writes a failure with its sample', async () => {
    const f = await waitFor(async () => (await failuresOf('fat')).find((x) => x.kind === 'limit'), {
      timeout: 30_000,
      what: 'a limit failure for fat',
    });
    const detail = await api<FailureDetail>('failures.get', { id: f.id });
    expect(detail.diagnostics.sample).toMatchObject({ resource: 'memory', limit: 1024 });
    expect((detail.diagnostics.sample as { value: number }).value).toBeGreaterThan(1024);
    const restarts = (await api<Snapshot>('status.get')).processes.find((p) => p.name === 'fat')!.restarts;
    expect(restarts).toBeGreaterThanOrEqual(1);
    const info = JSON.parse(readFileSync(join(dataDir, 'api.json'), 'utf8')) as { url: string; token: string };
    const metrics = await (
      await fetch(new URL('metrics', info.url), { headers: { authorization: `Bearer ${info.token}` } })
    ).text();
    const counted = Number(/sentinel_process_restarts_total\{process="fat"[^}]*\} (\d+)/.exec(metrics)?.[1]);
    expect(counted).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it("a person's restart is not a failure and draws no recovery restart on top", async () => {
    const colourOfChecked = async () =>
      (await api<Snapshot>('status.get')).overall.services.find((s) => s.name === 'checked');
    // Settled first: green, no recovery under way (whatever happened before is not this test's).
    await waitFor(async () => ((s) => s?.status === 'green' && !s.recovering)(await colourOfChecked()), {
      timeout: 20_000,
      what: 'checked green and settled',
    });
    const before = new Set((await failuresOf('checked')).map((f) => f.id));
    const r = await cli(['restart', 'checked', '--data-dir', dataDir], e);
    expect(r.code, r.stderr).toBe(0);
    const pid = await waitFor(() => pidOf('checked'), { what: 'checked running again' });
    // Red while it gets ready (6 s; recovery would write a "hung" failure at once and restart it after 5 s), then
    // green again.
    await waitFor(
      async () =>
        (await api<Snapshot>('status.get')).overall.services.find((s) => s.name === 'checked')?.status === 'red',
      { timeout: 15_000, what: 'checked to fail its check after the restart' },
    );
    await waitFor(
      async () =>
        (await api<Snapshot>('status.get')).overall.services.find((s) => s.name === 'checked')?.status === 'green',
      { timeout: 20_000, what: 'checked green again' },
    );
    expect(await pidOf('checked')).toBe(pid);
    expect((await failuresOf('checked')).filter((f) => !before.has(f.id))).toEqual([]);
  }, 60_000);
});
