import { describe, expect, it } from 'vitest';
import { parseElapsed, parsePs, selectProcesses, type ProcessRow } from '../../src-main/platform/ps';
import { fields, splitEndpoint } from '../../src-main/platform/text';
import { fixture } from './fixture';

describe('ps', () => {
  it.each([
    ['00:00', 0],
    ['1:02:03', 3_723_000],
    ['2-01:00:00', 176_400_000],
    ['01:05', 65_000],
    ['13:17', 797_000],
    ['02:00:01', 7_201_000],
    ['3-04:05:06', ((3 * 24 + 4) * 3600 + 5 * 60 + 6) * 1000],
  ])('elapsed %s → %d ms', (text, ms) => expect(parseElapsed(text)).toBe(ms));

  it('rejects an elapsed time it cannot read', () => {
    expect(() => parseElapsed('1h')).toThrow(/elapsed time "1h"/);
  });

  it('reads the real capture, keeping spaces in the command line', () => {
    expect(parsePs(fixture('linux', 'ps.txt'))).toEqual([
      {
        pid: 2953,
        ppid: 2920,
        user: 'root',
        state: 'Ss',
        elapsed_ms: 797_000,
        cpu_percent: 0,
        rss_bytes: 4016 * 1024,
        command: 'bash /dev/fd/3',
      },
      {
        pid: 8994,
        ppid: 8993,
        user: 'root',
        state: 'S',
        elapsed_ms: 0,
        cpu_percent: 0,
        rss_bytes: 1720 * 1024,
        command: 'sleep 30',
      },
    ]);
  });

  it('rejects output without the header', () => {
    expect(() => parsePs('1 0 root S 00:01 0.0 10 init')).toThrow(/ps: expected a header/);
  });

  const row = (pid: number, ppid: number, command: string): ProcessRow => ({
    pid,
    ppid,
    user: 'u',
    state: 'S',
    elapsed_ms: 0,
    cpu_percent: 0,
    rss_bytes: 0,
    command,
  });
  // A grandchild listed before its parent: selection must not depend on order.
  const rows = [
    row(1, 0, 'init'),
    row(30, 20, 'worker'),
    row(10, 1, 'sh -c run'),
    row(20, 10, 'node server.js'),
    row(40, 1, 'netbird up'),
  ];

  it.each([
    ['pid and all descendants', { pids: [10], service: 'x' }, [30, 10, 20]],
    ['leaf only', { pids: [30], service: 'x' }, [30]],
    ['unknown pid', { pids: [99], service: 'x' }, []],
    ['no pids: by name', { pids: [], service: 'netbird' }, [40]],
    ['no pids, no name', { pids: [], service: '' }, []],
  ])('selectProcesses: %s', (_name, ctx, pids) => {
    expect(selectProcesses(rows, ctx).map((r) => r.pid)).toEqual(pids);
  });
});

describe('text helpers', () => {
  it.each([
    ['a b  c', 2, ['a', 'b  c']],
    ['  a b c ', Infinity, ['a', 'b', 'c']],
    ['', 3, []],
  ])('fields(%j, %s)', (line, max, out) => expect(fields(line, max)).toEqual(out));

  it.each([
    ['127.0.0.1:80', ':', { address: '127.0.0.1', port: 80 }],
    ['[::1]:443', ':', { address: '::1', port: 443 }],
    ['*:*', ':', { address: '*', port: null }],
    ['[fe80::1%eth0]:*', ':', { address: 'fe80::1%eth0', port: null }],
    ['10.0.0.1.5353', '.', { address: '10.0.0.1', port: 5353 }],
    ['nohost', ':', { address: 'nohost', port: null }],
  ] as const)('splitEndpoint(%s)', (text, sep, out) => expect(splitEndpoint(text, sep)).toEqual(out));
});
