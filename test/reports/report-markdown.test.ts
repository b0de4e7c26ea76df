import { describe, expect, it } from 'vitest';
import type { FailureDetail, LogLine } from '../../src-main/api/contract';
import { buildReport, DEFAULT_LIMITS } from '../../src-main/core/reports/report-markdown';
import { cell, fenced } from '../../src-main/core/reports/markdown';
import { parseIfconfig } from '../../src-main/platform/darwin/ifconfig';
import { parseLsof } from '../../src-main/platform/darwin/lsof';
import { parseNetstatRoutes } from '../../src-main/platform/darwin/netstat-routes';
import { fixture } from '../platform/fixture';

const env = {
  API_TOKEN: 'tok_live_9f8e7d6c5b4a',
  DB_PASSWORD: 'correct-horse-battery',
  NB_SETUP_KEY: 'A1B2C3D4-E5F6-7788',
  CLIENT_SECRET: 'shh-its-a-secret',
  PATH: '/usr/local/bin:/usr/bin',
};
const SECRETS = [env.API_TOKEN, env.DB_PASSWORD, env.NB_SETUP_KEY, env.CLIENT_SECRET];

const start = Date.parse('2026-11-23T07:41:12.000Z');

function failureDetail(overrides: Partial<FailureDetail> = {}): FailureDetail {
  return {
    id: 7,
    service: 'web',
    kind: 'health',
    started_at: start,
    detected_by: 'check:web-http',
    reason: `http check failed: 401 with token ${env.API_TOKEN}`,
    upstream_down: false,
    restart_attempted: true,
    restart_successful: true,
    recovered_at: start + 20_000,
    time_to_recover_ms: 20_000,
    outcome: 'recovered',
    checks: [
      { name: 'web-http', type: 'http', service: 'web', ok: false, latency_ms: 5003, error: `timeout; Authorization: Bearer ${env.API_TOKEN}`, at: start, upstream: false },
      { name: 'internet', type: 'internet', service: null, ok: true, latency_ms: 12, error: null, at: start, upstream: true },
    ],
    diagnostics: {
      interfaces: { ok: true, duration_ms: 14, data: parseIfconfig(fixture('darwin', 'ifconfig.txt')) },
      routes: { ok: true, duration_ms: 9, data: parseNetstatRoutes(fixture('darwin', 'netstat-rn.txt')) },
      connections: { ok: true, duration_ms: 40, data: parseLsof(fixture('darwin', 'lsof.txt')) },
      os_log: { ok: false, duration_ms: 5000, error: 'log timed out after 5000 ms', raw: `db connect postgres://app:${env.DB_PASSWORD}@db:5432` },
      processes: { ok: true, duration_ms: 20, data: [{ pid: 612, ppid: 1, user: 'root', state: 'S', elapsed_ms: 1000, cpu_percent: 1.5, rss_bytes: 41943040, command: `node server.js --secret ${env.CLIENT_SECRET}` }] },
    },
    timeline: [
      { at: start + 12_000, event: 'restart', detail: 'SIGTERM, then start' },
      { at: start, event: 'detected', detail: 'web-http failed 2 rounds' },
      { at: start + 500, event: 'diagnostics', detail: '5 sections in 5003 ms' },
      { at: start + 20_000, event: 'recovered', detail: 'web-http ok' },
    ],
    ...overrides,
  };
}

const logs: LogLine[] = Array.from({ length: 120 }, (_, i) => ({
  id: i + 1,
  process: 'web',
  stream: i % 10 === 0 ? 'err' : 'out',
  at: start - 120_000 + i * 1000,
  line: i === 115 ? `using NB_SETUP_KEY=${env.NB_SETUP_KEY} and \`\`\` fences` : i === 118 ? `password=${env.DB_PASSWORD}&x=1` : `line ${i}`,
}));

const environment = { app_version: '0.3.0', os: 'macOS', os_version: '15.1', arch: 'arm64', node: 'v20.18.0', hostname: 'mac-mini' };
const config = { processes: [{ name: 'web', command: 'node server.js', env: { ...env } }], health: { checks: [{ name: 'web-http', url: `https://api.example/health?token=${env.API_TOKEN}` }] } };

describe('buildReport', () => {
  const report = buildReport({ failure: failureDetail(), logs, environment, config, env });

  it('contains no value of a secret-named environment variable, anywhere', () => {
    for (const secret of SECRETS) expect(report).not.toContain(secret);
    expect(report).toContain('[redacted]');
  });

  it('starts with a title line naming service, kind and (redacted) reason', () => {
    expect(report.split('\n')[0]).toBe('# Sentinel: web failed (health) — http check failed: 401 with token [redacted]');
  });

  it('summarises the failure and the environment', () => {
    expect(report).toContain('| Time to recover | 20s |');
    expect(report).toContain('| Restart | attempted, succeeded |');
    expect(report).toContain('| Started | 2026-11-23T07:41:12.000Z |');
    expect(report).toContain('| OS | macOS 15.1 |');
    expect(report).toContain('| Host | mac-mini |');
  });

  it('has the timeline in time order with offsets from the start', () => {
    const rows = report.split('\n').filter((l) => /^\| 2026-11-23T07:4.*\| \+/.test(l));
    expect(rows.map((r) => r.split(' | ')[2])).toEqual(['detected', 'diagnostics', 'restart', 'recovered']);
    expect(rows[2]).toContain('| +12s |');
  });

  it('lists failing checks only', () => {
    expect(report).toContain('| web-http | http | timeout; Authorization: Bearer [redacted] | 5003 ms | 2026-11-23T07:41:12.000Z |');
    expect(report).not.toMatch(/\| internet \| internet \|/);
  });

  it('has each diagnostics section in a <details> block, errors marked', () => {
    expect(report).toContain('<details><summary>interfaces: 7 interfaces, 4 up (14 ms)</summary>');
    expect(report).toContain('<details><summary>routes: 23 routes, default via 192.168.1.1 (9 ms)</summary>');
    expect(report).toContain('utun4 up mtu 1280 100.92.14.7/16 --> 100.92.14.7');
    expect(report).toContain('tcp 192.168.1.23:50412 -> 34.120.64.11:443 ESTABLISHED netbird[612]');
    expect(report).toContain('<details><summary>⚠️ os_log: error: log timed out after 5000 ms (5000 ms)</summary>');
    expect(report).toContain('postgres://app:[redacted]@db:5432');
    expect(report.match(/<details>/g)).toHaveLength(5);
    expect(report.match(/<\/details>/g)).toHaveLength(5);
  });

  it('keeps the last 50 log lines in a fence that log backticks cannot close', () => {
    expect(report).toContain('## Logs (last 50 of 120 lines)');
    expect(report).toContain('[web/out] line 119');
    expect(report).toContain('[web/err] line 70');
    expect(report).not.toContain('line 69\n');
    expect(report).toMatch(/````text\n2026-11-23T07:40:22.000Z \[web\/err\] line 70/);
  });

  it('has the config as YAML with secret fields hidden and other values kept', () => {
    expect(report).toContain('```yaml');
    expect(report).toContain('NB_SETUP_KEY: "[redacted]"');
    expect(report).toContain('PATH: /usr/local/bin:/usr/bin');
    expect(report).toContain('url: https://api.example/health?token=[redacted]');
  });

  it('stays bounded when diagnostics and logs are huge', () => {
    const huge = 'x'.repeat(200_000);
    const big = buildReport({
      failure: failureDetail({ diagnostics: { os_log: { ok: false, duration_ms: 1, error: 'boom', raw: huge }, processes: { ok: true, duration_ms: 1, data: Array.from({ length: 5000 }, (_, i) => ({ pid: i, command: huge.slice(0, 100) })) } } }),
      logs: logs.map((l) => ({ ...l, line: huge.slice(0, 10_000) })),
      environment,
      config: { blob: huge },
      env,
    });
    const bound = 2 * DEFAULT_LIMITS.sectionChars + 2 * DEFAULT_LIMITS.sectionChars + DEFAULT_LIMITS.configChars + 10_000;
    expect(big.length).toBeLessThan(bound);
    expect(big).toContain('characters cut');
    expect(big).toContain('… 4970 more not shown');
  });

  it('says so when there is nothing to show', () => {
    const empty = buildReport({ failure: failureDetail({ checks: [], diagnostics: {}, timeline: [], recovered_at: null, time_to_recover_ms: null, outcome: null, restart_attempted: false, restart_successful: null }), logs: [], environment: { ...environment, hostname: undefined } });
    expect(empty).toContain('_No events recorded._');
    expect(empty).toContain('_None collected._');
    expect(empty).toContain('_No log lines._');
    expect(empty).toContain('| Outcome | not recovered |');
    expect(empty).toContain('| Restart | not attempted |');
    expect(empty).not.toContain('## Config');
    expect(empty).not.toContain('| Host |');
  });
});

describe('markdown helpers', () => {
  it.each([
    ['a|b', 'a\\|b'],
    ['two\nlines', 'two lines'],
    [null, '—'],
    ['', '—'],
    [42, '42'],
  ])('cell(%j) → %j', (value, out) => expect(cell(value)).toBe(out));

  it.each([
    ['plain', '```text\nplain\n```'],
    ['has ``` inside', '````text\nhas ``` inside\n````'],
    ['trailing newlines\n\n', '```text\ntrailing newlines\n```'],
  ])('fenced(%j)', (text, out) => expect(fenced(text)).toBe(out));
});
