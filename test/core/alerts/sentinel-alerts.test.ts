/**
 * Alerts through the whole daemon core: a real process whose real TCP check fails, recovery, and a webhook receiver
 * on 127.0.0.1. One episode → one alert and one recovery; the deliveries are in the failure's detail (the API) and
 * its report, with the channel's secret nowhere.
 */
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { FailureDetail } from '../../../src-main/shared/contract';
import { createDispatcher } from '../../../src-main/api/dispatch';
import { Sentinel } from '../../../src-main/core/sentinel';
import { silentLogger } from '../../../src-main/core/util/logger';
import { freePort } from '../../helpers/net';
import { tempDir } from '../../helpers/tmp';
import { waitFor } from '../../helpers/wait';
import { startReceiver } from './receiver';

describe('alerts in the daemon', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('a failing service sends one alert, its recovery one more, both in the failure detail and report', async () => {
    const rx = await startReceiver();
    cleanups.push(() => rx.close());
    const port = await freePort();
    const t = tempDir('sentinel-alerts-e2e-');
    cleanups.push(t.cleanup);
    const file = join(t.dir, 'sentinel.yaml');
    writeFileSync(
      file,
      `processes:
  - name: web
    command: /bin/sh
    args: [-c, "exec sleep 600"]
    restart: { start_secs: 0 }
    checks: [{ type: tcp, port: ${port}, interval: 150ms, timeout: 100ms }]
alerts:
  channels:
    ops: { type: webhook, url: "${rx.url}/hook?token=very-secret-token", secret: a-long-enough-secret }
`,
    );
    const sentinel = await Sentinel.open({ configPath: file, dataDir: join(t.dir, 'data'), logger: silentLogger });
    cleanups.push(() => sentinel.close());
    const dispatch = createDispatcher(sentinel.handlers);
    await sentinel.start();

    await waitFor(() => rx.requests.length >= 1, { timeout: 15_000, what: 'the failure alert' });
    expect(rx.requests[0]!.json).toMatchObject({ kind: 'failure', service: 'web' });
    const failureId = rx.requests[0]!.json.failure_id as number;

    // The service comes back: something listens on its port.
    const server: Server = createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => server.close(r)));
    await waitFor(() => rx.requests.some((r) => r.json.kind === 'recovered'), {
      timeout: 30_000,
      what: 'the recovery alert',
    });
    await waitFor(
      async () => {
        const d = (await dispatch('failures.get', { id: failureId })) as { ok: true; result: FailureDetail };
        return d.result.timeline.filter((e) => e.event === 'alert sent').length === 2;
      },
      { what: 'both deliveries in the timeline' },
    );
    expect(rx.requests.map((r) => r.json.kind)).toEqual(['failure', 'recovered']);
    expect(rx.requests[1]!.json.time_to_recover_ms).toBeGreaterThan(0);

    const detail = (await dispatch('failures.get', { id: failureId })) as { ok: true; result: FailureDetail };
    const sent = detail.result.timeline.filter((e) => e.event === 'alert sent');
    expect(sent[0]!.detail).toMatch(
      /^ops \(webhook → http:\/\/127\.0\.0\.1:\d+\/\[redacted\]\): failure — HTTP 200, 1 attempt$/,
    );
    const report = (await dispatch('failures.report', { id: failureId })) as { ok: true; result: { markdown: string } };
    expect(report.result.markdown).toContain('alert sent');
    for (const text of [JSON.stringify(detail), report.result.markdown]) {
      expect(text).not.toContain('very-secret-token');
      expect(text).not.toContain('a-long-enough-secret');
    }
  }, 60_000);

  it('alerts.test goes through the contract', async () => {
    const rx = await startReceiver();
    cleanups.push(() => rx.close());
    const t = tempDir('sentinel-alerts-e2e-');
    cleanups.push(t.cleanup);
    const file = join(t.dir, 'sentinel.yaml');
    writeFileSync(file, `alerts:\n  channels:\n    chat: { type: slack, url: "${rx.url}/services/T/B/C" }\n`);
    const sentinel = await Sentinel.open({ configPath: file, dataDir: join(t.dir, 'data'), logger: silentLogger });
    cleanups.push(() => sentinel.close());
    const dispatch = createDispatcher(sentinel.handlers);
    expect(await dispatch('alerts.test', {})).toEqual({
      ok: true,
      result: {
        results: [
          {
            channel: 'chat',
            target: expect.stringContaining('/[redacted])'),
            ok: true,
            attempts: 1,
            detail: 'HTTP 200',
          },
        ],
      },
    });
    expect(await dispatch('alerts.test', { channel: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'not_found', field: 'channel' },
    });
    expect(String(rx.requests[0]!.json.text)).toContain('Sentinel test alert');
  });
});
