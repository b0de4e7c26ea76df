/**
 * Alerts through the real engine, a real SQLite store and real HTTP receivers on 127.0.0.1: one alert and one
 * recovery per episode, bounded storms, retries of a receiver that is down, quiet hours, signatures, the
 * ntfy/Slack shapes, the command channel, and the delivery record in the failure's timeline.
 */
import { createHmac } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FailureSummary } from '../../../src-main/shared/contract';
import { ConfigSchema, type Config } from '../../../src-main/core/config/schema';
import { Alerting } from '../../../src-main/core/sentinel/alerting';
import { AlertsRepo } from '../../../src-main/core/store/alerts-repo';
import { openDb, type Db } from '../../../src-main/core/store/db';
import { FailuresRepo } from '../../../src-main/core/store/failures-repo';
import { silentLogger } from '../../../src-main/core/util/logger';
import { freePort } from '../../helpers/net';
import { tempDir } from '../../helpers/tmp';
import { waitFor } from '../../helpers/wait';
import { startReceiver, type Receiver } from './receiver';

const SECRET = 'correct-horse-battery-staple';

describe('alerting', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function receiver(answer?: (n: number) => number): Promise<Receiver> {
    const r = await startReceiver(answer);
    cleanups.push(() => r.close());
    return r;
  }

  function setup(alerts: unknown, opts: { now?: () => number; processes?: string[]; listeners?: boolean } = {}) {
    const t = tempDir('sentinel-alerts-');
    const db: Db = openDb(join(t.dir, 'sentinel.db'));
    const config: Config = ConfigSchema.parse({
      processes: (opts.processes ?? ['api']).map((name) => ({ name, command: '/bin/true' })),
      alerts,
    });
    const desktop: unknown[] = [];
    const alerting = new Alerting({
      db,
      config: () => config,
      logger: silentLogger,
      now: opts.now ?? Date.now,
      storeError: () => null,
      showDesktop: (n) => (opts.listeners === false ? false : (desktop.push(n), true)),
    });
    alerting.start();
    cleanups.push(
      t.cleanup,
      () => db.close(),
      () => alerting.close(),
    );
    const failures = new FailuresRepo(db);
    const repo = new AlertsRepo(db);
    const open = (service: string, at = Date.now()): FailureSummary => {
      const f = failures.insert({
        service,
        kind: 'hung',
        started_at: at,
        detected_by: `${service}:http`,
        reason: 'http check failed: HTTP 502',
        checks: [],
        upstream_down: false,
        timeline: [{ at, event: 'detected' }],
      });
      alerting.failureCreated(f);
      return f;
    };
    const recover = (f: FailureSummary, at = Date.now()) => {
      const s = failures.update(f.id, {
        recovered_at: at,
        time_to_recover_ms: at - f.started_at,
        outcome: 'recovered after restart',
      });
      alerting.failureUpdated(s);
      return s;
    };
    return { alerting, failures, repo, open, recover, desktop, db };
  }

  it('sends exactly one alert and one recovery per episode, and writes both into the failure timeline', async () => {
    const rx = await receiver();
    const { alerting, failures, open, recover, repo } = setup({
      channels: { ops: { type: 'webhook', url: `${rx.url}/hook?token=s3cr3t-token`, secret: SECRET } },
    });
    const f = open('api');
    // What recovery writes while it works (diagnostics, restart attempts) and a second failure row of the same
    // service: all one episode.
    const updated = failures.update(f.id, {
      restart_attempted: true,
      append: [{ at: Date.now(), event: 'restart attempt 1' }],
    });
    alerting.failureUpdated(updated);
    const second = open('api');
    alerting.failureCreated(second);
    recover(f);
    await alerting.alerter.idle();
    expect(rx.requests).toHaveLength(1);
    recover(second);
    recover(second); // repeated update of a recovered failure: no second recovery
    await alerting.alerter.idle();
    expect(rx.requests.map((r) => r.json.kind)).toEqual(['failure', 'recovered']);
    const [opened, back] = rx.requests.map((r) => r.json);
    expect(opened).toMatchObject({ service: 'api', failure_id: f.id, severity: 'warning', source: 'sentinel' });
    expect(back).toMatchObject({ service: 'api', failure_id: second.id });
    expect(back!.time_to_recover_ms).toBeGreaterThanOrEqual(0);
    expect(String(back!.title)).toMatch(/^api recovered after/);

    const timeline = failures.get(f.id)!.timeline;
    const sent = timeline.find((e) => e.event === 'alert sent');
    expect(sent?.detail).toContain('ops (webhook → http://127.0.0.1:');
    expect(sent?.detail).toContain('HTTP 200, 1 attempt');
    expect(JSON.stringify(timeline)).not.toContain('s3cr3t-token');
    expect(failures.get(second.id)!.timeline.some((e) => e.event === 'alert sent' && /recovered/.test(e.detail!))).toBe(
      true,
    );
    expect(repo.forFailure(f.id).map((d) => [d.kind, d.status, d.attempts])).toEqual([['failure', 'sent', 1]]);
  });

  it('signs webhook bodies so the receiver can verify them', async () => {
    const rx = await receiver();
    const { alerting, open } = setup({ channels: { ops: { type: 'webhook', url: `${rx.url}/hook`, secret: SECRET } } });
    open('api');
    await alerting.alerter.idle();
    const [req] = rx.requests;
    const ts = String(req!.headers['x-sentinel-timestamp']);
    const verify = (body: string) =>
      `sha256=${createHmac('sha256', SECRET).update(`${ts}.${body}`).digest('hex')}` ===
      req!.headers['x-sentinel-signature'];
    expect(verify(req!.body)).toBe(true);
    expect(verify(req!.body.replace('api', 'apx'))).toBe(false);
    expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(60);
    expect(req!.headers['x-sentinel-event']).toBe('failure');
    expect(req!.headers['x-sentinel-delivery']).toBe(req!.json.id);
  });

  it('a storm of 20 failures sends a bounded number: threshold alerts, then one summary', async () => {
    const rx = await receiver();
    const names = Array.from({ length: 20 }, (_, i) => `svc${i}`);
    // The test's clock: all 20 arrive within one window however slow this machine is.
    let now = Date.now();
    const { alerting, open } = setup(
      {
        channels: { chat: { type: 'slack', url: `${rx.url}/services/T0/B0/XYZ` } },
        storm: { threshold: 3, window: '300ms' },
      },
      { processes: names, now: () => now },
    );
    for (const n of names) open(n, now);
    await alerting.alerter.idle();
    expect(rx.requests).toHaveLength(3);
    now += 300; // the window is over when its timer fires
    await waitFor(() => rx.requests.length === 4, { what: 'the storm summary' });
    const summary = String(rx.requests[3]!.json.text);
    expect(summary).toContain('17 alerts in a storm');
    expect(summary).toContain('17 failure');
    // Nothing more comes: 20 failures cost this channel 4 messages.
    await alerting.alerter.idle();
    expect(rx.requests).toHaveLength(4);
    expect(rx.requests[0]!.json.attachments).toMatchObject([{ color: '#ecb22e', footer: 'Sentinel' }]);
  });

  it('retries a receiver that fails, then records the delivery', async () => {
    const rx = await receiver((n) => (n <= 2 ? 503 : 200));
    const { alerting, open, repo, failures } = setup({
      channels: { ops: { type: 'webhook', url: `${rx.url}/hook` } },
      delivery: { retries: 3, backoff: '20ms', timeout: '2s' },
    });
    const f = open('api');
    await alerting.alerter.idle();
    expect(rx.requests).toHaveLength(3);
    expect(new Set(rx.requests.map((r) => r.headers['x-sentinel-delivery'])).size).toBe(1);
    expect(repo.forFailure(f.id)).toMatchObject([{ status: 'sent', attempts: 3, detail: 'HTTP 200' }]);
    expect(failures.get(f.id)!.timeline.at(-1)).toMatchObject({ event: 'alert sent' });
    expect(failures.get(f.id)!.timeline.at(-1)!.detail).toContain('3 attempts');
  });

  it('a receiver that is down is retried and the failure recorded in the store and the timeline', async () => {
    const port = await freePort();
    const { alerting, open, repo, failures } = setup({
      channels: { phone: { type: 'ntfy', url: `http://127.0.0.1:${port}/topic-abcdefgh`, token: 'tk_verysecret' } },
      delivery: { retries: 2, backoff: '10ms' },
    });
    const f = open('api');
    await alerting.alerter.idle();
    const [row] = repo.forFailure(f.id);
    expect(row).toMatchObject({ status: 'failed', attempts: 3, channel: 'phone', channel_type: 'ntfy' });
    expect(row!.detail).toMatch(/ECONNREFUSED/);
    const entry = failures.get(f.id)!.timeline.at(-1)!;
    expect(entry.event).toBe('alert failed');
    expect(entry.detail).toContain(`phone (ntfy → http://127.0.0.1:${port}/[redacted])`);
    expect(entry.detail).toContain('3 attempts');
    expect(JSON.stringify(failures.get(f.id))).not.toMatch(/topic-abcdefgh|tk_verysecret/);
  });

  it('a 4xx is not retried (the request will not get better)', async () => {
    const rx = await receiver(() => 404);
    const { alerting, open, repo } = setup({
      channels: { ops: { type: 'webhook', url: `${rx.url}/gone` } },
      delivery: { retries: 3, backoff: '10ms' },
    });
    const f = open('api');
    await alerting.alerter.idle();
    expect(rx.requests).toHaveLength(1);
    expect(repo.forFailure(f.id)[0]).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('quiet hours hold alerts back and send them as one summary when they end', async () => {
    const rx = await receiver();
    // Quiet from an hour ago to an hour from now (UTC); the clock is the test's.
    let now = Date.now();
    const hhmm = (t: number) => new Date(t).toISOString().slice(11, 16);
    const { alerting, open, recover, repo, failures } = setup(
      {
        channels: {
          phone: { type: 'ntfy', url: `${rx.url}/sentinel-alerts` },
          ops: { type: 'webhook', url: `${rx.url}/ops` },
        },
        quiet_hours: { from: hhmm(now - 3_600_000), to: hhmm(now + 3_600_000), timezone: 'UTC', channels: ['phone'] },
      },
      { now: () => now },
    );
    const f = open('api', now);
    recover(f, now + 1000);
    await alerting.alerter.idle();
    // The webhook is not quiet; the phone is.
    expect(rx.requests.map((r) => r.path)).toEqual(['/ops', '/ops']);
    expect(
      repo
        .forFailure(f.id)
        .filter((d) => d.channel === 'phone')
        .map((d) => d.status),
    ).toEqual(['held', 'held']);
    expect(
      failures.get(f.id)!.timeline.some((e) => e.event === 'alert held' && e.detail!.includes('quiet hours')),
    ).toBe(true);

    alerting.alerter.tick(); // still quiet: nothing moves
    await alerting.alerter.idle();
    expect(rx.requests).toHaveLength(2);

    now += 2 * 3_600_000 + 60_000;
    alerting.alerter.tick();
    await alerting.alerter.idle();
    const phone = rx.requests.filter((r) => r.path === '/');
    expect(phone).toHaveLength(1);
    expect(phone[0]!.json).toMatchObject({
      topic: 'sentinel-alerts',
      title: 'Sentinel: 2 alerts held during quiet hours',
    });
    expect(
      repo
        .forFailure(f.id)
        .filter((d) => d.channel === 'phone')
        .map((d) => d.status),
    ).toEqual(['summarized', 'summarized']);
    expect(failures.get(f.id)!.timeline.at(-1)!.detail).toContain('in a summary of 2 alerts held during quiet hours');
  });

  it('quiet hours let the families in `except` through', async () => {
    const rx = await receiver();
    const now = Date.now();
    const hhmm = (t: number) => new Date(t).toISOString().slice(11, 16);
    const { alerting } = setup({
      channels: { ops: { type: 'webhook', url: `${rx.url}/ops` } },
      quiet_hours: { from: hhmm(now - 3_600_000), to: hhmm(now + 3_600_000), timezone: 'UTC', except: ['fatal'] },
    });
    alerting.processTransition({ name: 'api', to: 'fatal', reason: 'crashed 6 times in 10m', at: now });
    alerting.processTransition({ name: 'api', to: 'fatal', reason: 'crashed again', at: now });
    await alerting.alerter.idle();
    expect(rx.requests.map((r) => [r.json.kind, r.json.severity])).toEqual([['fatal', 'critical']]);
  });

  it('ntfy gets the topic, a priority by event and the tags; Slack gets text', async () => {
    const rx = await receiver();
    const { alerting } = setup({
      channels: {
        phone: { type: 'ntfy', url: `${rx.url}/sub/sentinel-topic`, token: 'tk_abc123', tags: ['mac'] },
        chat: { type: 'slack', url: `${rx.url}/services/T1/B1/abc` },
      },
    });
    alerting.limit({
      process: 'api',
      resource: 'memory',
      reason: 'memory 612MB > 500MB for 30s → alert',
      at: Date.now(),
    });
    alerting.limit({ process: 'api', resource: 'memory', reason: 'again', at: Date.now() + 1000 }); // within the hour
    await alerting.alerter.idle();
    const ntfy = rx.requests.find((r) => r.path === '/sub/')!;
    expect(ntfy.headers.authorization).toBe('Bearer tk_abc123');
    expect(ntfy.json).toMatchObject({ topic: 'sentinel-topic', title: 'api over its memory limit', priority: 3 });
    expect(ntfy.json.tags).toEqual(['mac', 'chart_with_upwards_trend']);
    const slack = rx.requests.find((r) => r.path.startsWith('/services/'))!;
    expect(slack.json.text).toBe('*api over its memory limit*\nmemory 612MB &gt; 500MB for 30s → alert');
    expect(rx.requests).toHaveLength(2);
  });

  it('the command channel gets the event in its environment and as JSON on stdin, without a shell', async () => {
    const t = tempDir('sentinel-alert-cmd-');
    cleanups.push(t.cleanup);
    const out = join(t.dir, 'out.json');
    const script = join(t.dir, 'page.sh');
    writeFileSync(
      script,
      `#!/bin/sh\nprintf '%s\\n' "$1" "$SENTINEL_ALERT_KIND" "$SENTINEL_ALERT_SERVICE" > "${out}.env"\ncat > "${out}"\n`,
    );
    chmodSync(script, 0o755);
    const { alerting, open } = setup({
      channels: { page: { type: 'command', command: script, args: ['$HOME; echo not-a-shell'] } },
    });
    const f = open('api');
    await alerting.alerter.idle();
    expect(readFileSync(`${out}.env`, 'utf8')).toBe('$HOME; echo not-a-shell\nfailure\napi\n');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ kind: 'failure', service: 'api', failure_id: f.id });
  });

  it('a failing command is retried; a missing one is not', async () => {
    const { alerting, open, repo } = setup({
      channels: {
        flaky: { type: 'command', command: '/bin/sh', args: ['-c', 'echo nope >&2; exit 3'] },
        missing: { type: 'command', command: '/nonexistent/page' },
      },
      delivery: { retries: 1, backoff: '10ms' },
    });
    const f = open('api');
    await alerting.alerter.idle();
    const rows = Object.fromEntries(repo.forFailure(f.id).map((d) => [d.channel, d]));
    expect(rows.flaky).toMatchObject({ status: 'failed', attempts: 2, detail: 'exit 3: nope' });
    expect(rows.missing).toMatchObject({ status: 'failed', attempts: 1 });
    expect(rows.missing!.detail).toContain('command not found');
  });

  it('routes by service and event; the desktop channel is handed to the app', async () => {
    const rx = await receiver();
    const { alerting, open, desktop } = setup(
      {
        channels: { ops: { type: 'webhook', url: `${rx.url}/ops` }, mac: { type: 'desktop' } },
        routes: [
          { services: ['db'], channels: ['ops'] },
          { events: ['failure', 'fatal'], channels: ['mac'] },
        ],
      },
      { processes: ['api', 'db'] },
    );
    open('api');
    open('db');
    await alerting.alerter.idle();
    expect(rx.requests.map((r) => r.json.service)).toEqual(['db']);
    expect(desktop.map((n) => (n as { service: string }).service)).toEqual(['api', 'db']);
  });

  it('alert test reaches every channel past quiet hours and names unknown channels', async () => {
    const rx = await receiver();
    const now = Date.now();
    const hhmm = (t: number) => new Date(t).toISOString().slice(11, 16);
    const { alerting } = setup(
      {
        channels: { ops: { type: 'webhook', url: `${rx.url}/ops?token=abcdef123` }, mac: { type: 'desktop' } },
        quiet_hours: { from: hhmm(now - 3_600_000), to: hhmm(now + 3_600_000), timezone: 'UTC' },
      },
      { listeners: false },
    );
    const results = await alerting.test();
    expect(results).toEqual([
      {
        channel: 'ops',
        target: expect.stringMatching(/^ops \(webhook → http:\/\/127\.0\.0\.1:\d+\/\[redacted\]\)$/),
        ok: true,
        attempts: 1,
        detail: 'HTTP 200',
      },
      { channel: 'mac', target: 'mac (desktop)', ok: false, attempts: 1, detail: 'no app attached to show it' },
    ]);
    expect(rx.requests[0]!.json.kind).toBe('test');
    await expect(alerting.test('pager')).rejects.toThrow('no alert channel named "pager" (channels: ops, mac)');
  });

  it('store degraded and recovered, upstream down and back: one alert each way', async () => {
    const rx = await receiver();
    let storeError: string | null = null;
    const t = tempDir('sentinel-alerts-');
    const db = openDb(join(t.dir, 'sentinel.db'));
    const config = ConfigSchema.parse({ alerts: { channels: { ops: { type: 'webhook', url: `${rx.url}/ops` } } } });
    const alerting = new Alerting({
      db,
      config: () => config,
      logger: silentLogger,
      now: Date.now,
      storeError: () => storeError,
      showDesktop: () => false,
    });
    cleanups.push(
      t.cleanup,
      () => db.close(),
      () => alerting.close(),
    );
    const poll = () => (alerting as unknown as { poll(): void }).poll();
    storeError = 'could not store captured output: SQLITE_FULL';
    poll();
    poll();
    storeError = null;
    poll();
    const r = (ok: boolean, name = 'internet') => ({
      name,
      type: 'internet',
      service: null,
      ok,
      latency_ms: 1,
      error: ok ? null : 'unreachable',
      at: Date.now(),
      upstream: true,
    });
    alerting.checkResult(r(false));
    alerting.checkResult(r(false, 'dns'));
    alerting.checkResult(r(true));
    alerting.checkResult(r(true, 'dns'));
    alerting.checkResult({ ...r(false), upstream: false, service: 'api' }); // a service's own check: not upstream
    await alerting.alerter.idle();
    expect(rx.requests.map((q) => q.json.kind)).toEqual([
      'store_degraded',
      'store_recovered',
      'upstream_down',
      'upstream_back',
    ]);
  });

  it('a store that refuses writes loses the record, never the alert', async () => {
    const rx = await receiver();
    const { alerting, db } = setup({ channels: { ops: { type: 'webhook', url: `${rx.url}/ops` } } });
    // Writes fail from here on (as on a full disk); reads still work.
    db.exec(
      `CREATE TRIGGER no_writes BEFORE INSERT ON alert_deliveries BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;`,
    );
    alerting.processTransition({ name: 'api', to: 'fatal', reason: 'crashed 6 times', at: Date.now() });
    await alerting.alerter.idle();
    expect(rx.requests.map((r) => r.json.kind)).toEqual(['fatal']);
  });

  it('alerts held for quiet hours survive a restart and go out when the quiet hours end', async () => {
    const rx = await receiver();
    const t = tempDir('sentinel-alerts-');
    cleanups.push(t.cleanup);
    let now = Date.now();
    const hhmm = (x: number) => new Date(x).toISOString().slice(11, 16);
    const config = ConfigSchema.parse({
      processes: [{ name: 'api', command: '/bin/true' }],
      alerts: {
        channels: { ops: { type: 'webhook', url: `${rx.url}/ops` } },
        quiet_hours: { from: hhmm(now - 3_600_000), to: hhmm(now + 3_600_000), timezone: 'UTC' },
      },
    });
    const start = () => {
      const db = openDb(join(t.dir, 'sentinel.db'));
      const alerting = new Alerting({
        db,
        config: () => config,
        logger: silentLogger,
        now: () => now,
        storeError: () => null,
        showDesktop: () => false,
      });
      alerting.start();
      return { db, alerting };
    };
    const first = start();
    first.alerting.processTransition({ name: 'api', to: 'fatal', reason: 'crashed', at: now });
    await first.alerting.close();
    first.db.close();
    expect(rx.requests).toHaveLength(0);

    const second = start();
    cleanups.push(
      () => second.db.close(),
      () => second.alerting.close(),
    );
    now += 2 * 3_600_000 + 60_000;
    second.alerting.alerter.tick();
    await second.alerting.alerter.idle();
    expect(rx.requests.map((r) => r.json.kind)).toEqual(['fatal']);
    expect(new AlertsRepo(second.db).recent().map((d) => d.status)).toEqual(['sent']);
  });
});
