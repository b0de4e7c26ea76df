import { describe, expect, it } from 'vitest';
import { summarizeDiagnostics } from '../../../src-main/core/diagnostics/summarize';
import { trimMiddle } from '../../../src-main/core/diagnostics/trim';

describe('trimMiddle', () => {
  it('leaves short text alone', () => expect(trimMiddle('abc', 3)).toBe('abc'));

  it.each([100, 200, 1000])('keeps head and tail within %d characters', (max) => {
    const text = `HEAD${'x'.repeat(5000)}TAIL`;
    const out = trimMiddle(text, max);
    expect(out.length).toBeLessThanOrEqual(max);
    expect(out.startsWith('HEAD')).toBe(true);
    expect(out.endsWith('TAIL')).toBe(true);
    expect(out).toContain(`[${text.length - max} characters cut]`);
  });
});

describe('summarizeDiagnostics', () => {
  it.each([
    [
      'interfaces',
      [
        { name: 'en0', status: 'up', mtu: 1500, addresses: [{ address: '10.0.0.2', prefixlen: 24 }] },
        { name: 'en1', status: 'down', mtu: null, addresses: [] },
      ],
      '2 interfaces, 1 up',
      'en0 up mtu 1500 10.0.0.2/24\nen1 down',
    ],
    [
      'routes',
      [{ destination: 'default', gateway: null, interface: 'utun4', flags: ['U', 'G'] }],
      '1 route, default via utun4',
      'default dev utun4 [UG]',
    ],
    [
      'routes',
      [{ destination: '10/8', gateway: '10.0.0.1', interface: 'en0', flags: [] }],
      '1 route, no default route',
      '10/8 via 10.0.0.1 dev en0',
    ],
    [
      'dns',
      [
        {
          name: 'resolver #2',
          scoped: true,
          domain: 'netbird.cloud',
          nameservers: ['100.92.255.254'],
          search_domains: [],
          interface: 'utun4',
        },
      ],
      '1 resolver',
      'resolver #2 (scoped) domain netbird.cloud nameservers 100.92.255.254 on utun4',
    ],
    [
      'connections',
      [
        {
          protocol: 'tcp',
          local_address: '::1',
          local_port: 80,
          remote_address: '::1',
          remote_port: 5000,
          state: 'ESTAB',
          process: 'node',
          pid: 9,
        },
      ],
      '1 connection',
      'tcp [::1]:80 -> [::1]:5000 ESTAB node[9]',
    ],
    [
      'os_log',
      [{ timestamp: 'T1', type: 'error', process: 'netbird', pid: 612, message: 'lost' }],
      '1 log line',
      'T1 error netbird[612]: lost',
    ],
    [
      'processes',
      [
        { pid: 9, ppid: 1, state: 'S', cpu_percent: 1.5, rss_bytes: 10485760, command: 'node a.js' },
        { pid: 10, ppid: 9, state: 'R', cpu_percent: 0, rss_bytes: 0, command: 'sh' },
      ],
      '2 processes',
      '9 (ppid 1) S cpu 1.5% rss 10MB: node a.js\n10 (ppid 9) R cpu 0% rss 0MB: sh',
    ],
    ['custom', [{ a: 1 }], '1 item', '{"a":1}'],
  ])('%s → %s', (section, data, headline, body) => {
    expect(summarizeDiagnostics({ [section]: { ok: true, duration_ms: 3, data } })).toEqual([
      { section, ok: true, headline: `${headline} (3 ms)`, body },
    ]);
  });

  it('shows errors with the raw output, and survives values that are not section results', () => {
    expect(
      summarizeDiagnostics({
        dns: { ok: false, error: 'scutil timed out after 5000 ms', duration_ms: 5001, raw: 'partial' },
        weird: 42,
        empty: { ok: true },
      }),
    ).toEqual([
      { section: 'dns', ok: false, headline: 'error: scutil timed out after 5000 ms (5001 ms)', body: 'partial' },
      { section: 'weird', ok: false, headline: 'no result recorded', body: '' },
      { section: 'empty', ok: true, headline: 'collected', body: 'null' },
    ]);
  });

  it('keeps the newest log lines and the first items elsewhere, saying how many were left out', () => {
    const items = Array.from({ length: 10 }, (_, i) => ({
      timestamp: `T${i}`,
      type: null,
      process: 'p',
      pid: null,
      message: `m${i}`,
    }));
    const [log] = summarizeDiagnostics({ os_log: { ok: true, data: items } }, { maxItems: 3 });
    expect(log!.body).toBe('T7 p: m7\nT8 p: m8\nT9 p: m9\n… 7 more not shown');
    const [procs] = summarizeDiagnostics(
      { processes: { ok: true, data: items.map((_, i) => ({ pid: i })) } },
      { maxItems: 2 },
    );
    expect(procs!.body.split('\n')[0]).toMatch(/^0 /);
    expect(procs!.body).toContain('… 8 more not shown');
  });

  it('bounds the body', () => {
    const [s] = summarizeDiagnostics(
      { os_log: { ok: true, data: [{ timestamp: 'T', process: 'p', message: 'y'.repeat(10_000) }] } },
      { maxChars: 500 },
    );
    expect(s!.body.length).toBeLessThanOrEqual(500);
  });
});
