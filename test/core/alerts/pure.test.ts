/** The pure parts of alerting, table-tested: config errors, routing, quiet hours, storms, episodes, redaction. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigText } from '../../../src-main/core/config/load';
import { AlertsSchema } from '../../../src-main/core/config/alerts-schema';
import { retryDelay } from '../../../src-main/core/alerts/delivery';
import { channelSecrets, describeChannel, redactChannelUrl } from '../../../src-main/core/alerts/describe-channel';
import { Episodes } from '../../../src-main/core/alerts/episodes';
import { newAlert, summaryOf } from '../../../src-main/core/alerts/events';
import { splitTopicUrl } from '../../../src-main/core/alerts/channels/ntfy';
import { holdsBack, inQuietHours, minuteOfDay } from '../../../src-main/core/alerts/quiet-hours';
import { routeAlert } from '../../../src-main/core/alerts/routing';
import { admit } from '../../../src-main/core/alerts/storm';

function issues(yaml: string): string[] {
  try {
    loadConfigText(yaml);
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.issues.map((i) => `${i.path}: ${i.message}`);
  }
}

describe('alerts config', () => {
  it.each([
    ['alerts: { channels: { phone: { type: ntfy } } }', 'alerts.channels.phone.url: '],
    [
      'alerts: { channels: { phone: { type: ntfy, url: "ftp://x/y" } } }',
      'alerts.channels.phone.url: expected an http(s) URL',
    ],
    ['alerts: { channels: { p: { type: pager } } }', 'alerts.channels.p.type: '],
    [
      'alerts: { channels: { p: { type: ntfy, url: "https://ntfy.sh/x", priority: loud } } }',
      'alerts.channels.p.priority: expected 1-5 or min, low, default, high, max',
    ],
    [
      'alerts: { channels: { w: { type: webhook, url: "https://x.example/h", secret: short } } }',
      'alerts.channels.w.secret: expected a secret of at least 8 characters',
    ],
    ['alerts: { channels: { c: { type: command } } }', 'alerts.channels.c.command: '],
    [
      'alerts: { routes: [{ channels: [pager] }] }',
      'alerts.routes[0].channels[0]: no channel named "pager" (channels: none)',
    ],
    [
      'alerts: { channels: { d: { type: desktop } }, routes: [{ services: [nope], channels: [d] }] }',
      'alerts.routes[0].services[0]: no service or process named "nope"',
    ],
    [
      'alerts: { channels: { d: { type: desktop } }, routes: [{ events: [boom], channels: [d] }] }',
      'alerts.routes[0].events[0]: ',
    ],
    [
      'alerts: { quiet_hours: { from: "25:00", to: "07:00" } }',
      'alerts.quiet_hours.from: expected a time of day like "22:00"',
    ],
    [
      'alerts: { quiet_hours: { from: "22:00", to: "07:00", timezone: Mars/Olympus } }',
      'alerts.quiet_hours.timezone: expected an IANA time zone like "Europe/Berlin", got "Mars/Olympus"',
    ],
    ['alerts: { storm: { threshold: 0 } }', 'alerts.storm.threshold: '],
    [
      'alerts: { delivery: { timeout: soon } }',
      'alerts.delivery.timeout: expected a duration like "10s" or "1m", got "soon"',
    ],
  ])('%s → %s', (yaml, expected) => {
    expect(issues(yaml).some((i) => i.startsWith(expected))).toBe(true);
  });

  it('has working defaults: no channels, storm 5 per minute, 3 retries', () => {
    expect(AlertsSchema.parse(undefined)).toEqual({
      channels: {},
      routes: [],
      storm: { threshold: 5, window: 60_000 },
      delivery: { timeout: 10_000, retries: 3, backoff: 2_000 },
    });
  });
});

describe('routing', () => {
  const cfg = AlertsSchema.parse({
    channels: {
      ops: { type: 'webhook', url: 'https://x.example/h' },
      phone: { type: 'ntfy', url: 'https://ntfy.sh/t' },
      off: { type: 'desktop', enabled: false },
    },
    routes: [
      { services: ['netbird'], channels: ['phone', 'off'] },
      { events: ['fatal', 'store'], channels: ['phone'] },
      { channels: ['ops'] },
    ],
  });
  it.each([
    [{ kind: 'failure', service: 'netbird' }, ['phone', 'ops']],
    [{ kind: 'failure', service: 'api' }, ['ops']],
    [{ kind: 'fatal', service: 'api' }, ['phone', 'ops']],
    [{ kind: 'store_degraded', service: null }, ['phone', 'ops']],
    [{ kind: 'upstream_down', service: null }, ['ops']],
  ] as const)('%j → %j', (alert, channels) => {
    expect(routeAlert(alert, cfg).sort()).toEqual([...channels].sort());
  });
  it('no routes: every enabled channel', () => {
    expect(routeAlert({ kind: 'limit', service: 'x' }, { ...cfg, routes: [] }).sort()).toEqual(['ops', 'phone']);
  });
});

describe('quiet hours', () => {
  const at = (iso: string) => Date.parse(iso);
  it.each([
    ['22:00', '07:00', 'UTC', '2026-12-02T23:30:00Z', true],
    ['22:00', '07:00', 'UTC', '2026-12-02T06:59:00Z', true],
    ['22:00', '07:00', 'UTC', '2026-12-02T07:00:00Z', false],
    ['22:00', '07:00', 'UTC', '2026-12-02T21:59:00Z', false],
    ['12:00', '13:00', 'UTC', '2026-12-02T12:30:00Z', true],
    // 23:30 UTC is 00:30 in Berlin (winter, UTC+1) and 18:30 in New York.
    ['00:00', '06:00', 'Europe/Berlin', '2026-12-02T23:30:00Z', true],
    ['00:00', '06:00', 'America/New_York', '2026-12-02T23:30:00Z', false],
  ])('%s–%s %s at %s → %s', (from, to, timezone, when, quiet) => {
    expect(inQuietHours(at(when), { from, to, timezone, except: [] })).toBe(quiet);
  });
  it('minute of day follows the time zone', () => {
    expect(minuteOfDay(at('2026-06-01T10:15:00Z'), 'Asia/Kolkata')).toBe(15 * 60 + 45);
  });
  it('tests are never held; excepted families and other channels pass', () => {
    const q = { from: '00:00', to: '23:59', timezone: 'UTC', channels: ['phone'], except: ['fatal' as const] };
    const t = at('2026-12-02T12:00:00Z');
    expect(holdsBack({ kind: 'failure' }, 'phone', t, q)).toBe(true);
    expect(holdsBack({ kind: 'fatal' }, 'phone', t, q)).toBe(false);
    expect(holdsBack({ kind: 'test' }, 'phone', t, q)).toBe(false);
    expect(holdsBack({ kind: 'failure' }, 'ops', t, q)).toBe(false);
  });
});

describe('storm and episodes', () => {
  it('admits `threshold` per window, then holds until the window ends', () => {
    const limits = { threshold: 2, window: 1000 };
    let state;
    const verdicts: string[] = [];
    for (const t of [0, 10, 20, 999, 1000, 1001, 1002]) {
      const r = admit(state, t, limits);
      state = r.state;
      verdicts.push(r.verdict);
    }
    expect(verdicts).toEqual(['send', 'send', 'hold', 'hold', 'send', 'send', 'hold']);
  });

  it('an episode opens once, escalates once per level, and closes with its last member', () => {
    const e = new Episodes();
    expect(e.join('failure:a', '1', 0)).toBe(true);
    expect(e.join('failure:a', '2', 5)).toBe(false);
    expect(e.escalate('failure:a', 'fatal', 6)).toBe(true);
    expect(e.escalate('failure:a', 'fatal', 7)).toBe(false);
    expect(e.firstMember('failure:a')).toBe(1);
    expect(e.leave('failure:a', '1')).toBeUndefined();
    expect(e.leave('failure:a', '2')?.openedAt).toBe(0);
    expect(e.isOpen('failure:a')).toBe(false);
    expect(e.join('failure:a', '3', 9)).toBe(true);
  });

  it('retries back off exponentially up to five minutes', () => {
    expect([1, 2, 3, 20].map((n) => retryDelay(n, 2000))).toEqual([2000, 4000, 8000, 300_000]);
  });

  it('a summary carries the worst severity and lists its items', () => {
    const items = [
      newAlert({
        kind: 'failure',
        service: 'a',
        title: 'a is down',
        message: '',
        at: Date.parse('2026-12-02T02:10:04Z'),
      }),
      newAlert({
        kind: 'fatal',
        service: 'b',
        title: 'b gave up',
        message: '',
        at: Date.parse('2026-12-02T02:11:00Z'),
      }),
    ];
    const s = summaryOf(items, 'in a storm', 0);
    expect(s).toMatchObject({ kind: 'summary', severity: 'critical', title: 'Sentinel: 2 alerts in a storm' });
    expect(s.message).toBe('1 failure, 1 fatal\n02:10:04 a is down\n02:11:00 b gave up');
  });
});

describe('secrets in channel URLs', () => {
  it.each([
    ['https://hooks.slack.com/services/T000/B000/XXXXSECRET', 'https://hooks.slack.com/[redacted]'],
    ['https://ntfy.sh/my-private-topic', 'https://ntfy.sh/[redacted]'],
    ['https://user:pw@example.com/hook?token=abc', 'https://example.com/[redacted]'],
    ['https://example.com/', 'https://example.com/'],
    ['not a url', '[redacted]'],
  ])('%s → %s', (url, shown) => {
    expect(redactChannelUrl(url)).toBe(shown);
  });

  it('lists the literal secrets to scrub from errors', () => {
    const spec = AlertsSchema.parse({
      channels: {
        p: { type: 'ntfy', url: 'https://u:pass1234@ntfy.example/topic-0123456789?auth=QmVhcmVy', token: 'tk_abc' },
      },
    }).channels.p!;
    expect(channelSecrets(spec)).toEqual(
      expect.arrayContaining(['pass1234', 'topic-0123456789', 'QmVhcmVy', 'tk_abc']),
    );
    expect(describeChannel('p', spec)).toBe('p (ntfy → https://ntfy.example/[redacted])');
  });

  it('splits an ntfy topic URL into server and topic', () => {
    expect(splitTopicUrl('https://ntfy.sh/alerts')).toEqual({ server: 'https://ntfy.sh/', topic: 'alerts' });
    expect(splitTopicUrl('https://example.com/ntfy/alerts?x=1')).toEqual({
      server: 'https://example.com/ntfy/?x=1',
      topic: 'alerts',
    });
  });
});
