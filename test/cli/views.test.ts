/** The CLI's views as text: layouts with colour off, and that colour changes nothing but the escapes. */
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { FailureSummary, ProcessInfo, ServiceStatus, Snapshot, Stats } from '../../src-main/shared/contract';
import { colors } from '../../src-main/cli/style';
import { failuresView } from '../../src-main/cli/views/failures';
import { labelWidth, logLine } from '../../src-main/cli/views/logs';
import { counts, statsView } from '../../src-main/cli/views/stats';
import { note, processTable, statusView, upstreamLine } from '../../src-main/cli/views/status';
import { processInfo } from '../helpers/process-info';

const c = colors(true);
const strip = (s: string) => stripVTControlCharacters(s);
const NOW = new Date(2026, 11, 2, 14, 0, 0).getTime();
const at = (h: number, m: number, s = 0) => new Date(2026, 11, 2, h, m, s).getTime();

const base: ProcessInfo = processInfo({
  name: 'web',
  pid: 101,
  started_at: 0,
  uptime_ms: 90_000,
  restarts: 2,
  cpu: 0.3,
  memory: 44_150_000,
});

const service = (
  name: string,
  status: ServiceStatus['status'],
  kind: ServiceStatus['kind'],
  reason = '',
): ServiceStatus => ({
  name,
  status,
  reason: reason || `${name}: ${status}`,
  rule: 'all checks pass',
  since: 0,
  installed: status !== 'not-installed',
  recovering: false,
  checks: [],
  kind,
});

const processes: ProcessInfo[] = [
  base,
  {
    ...base,
    name: 'crasher',
    state: 'backoff',
    pid: null,
    uptime_ms: null,
    restarts: 4,
    next_attempt_at: NOW + 45_000,
    cpu: null,
    memory: null,
  },
  {
    ...base,
    name: 'dead',
    state: 'fatal',
    pid: null,
    uptime_ms: null,
    restarts: 6,
    reason: 'too many failures (5 in 10m)',
    cpu: null,
    memory: null,
  },
];

const snapshot: Snapshot = {
  overall: {
    status: 'yellow',
    reason: 'crasher is backing off',
    rule: 'process state: backoff',
    at: NOW,
    services: [
      service('web', 'green', 'process'),
      service('crasher', 'yellow', 'process'),
      service('dead', 'red', 'process'),
      service('netbird', 'not-installed', 'service', 'netbird: not installed'),
    ],
    upstream: [
      { name: 'internet', type: 'internet', service: null, ok: true, latency_ms: 23.4, error: null, at: NOW },
      { name: 'dns', type: 'dns', service: null, ok: false, latency_ms: null, error: 'timeout', at: NOW },
    ],
  },
  processes,
  version: '0.1.0',
  dry_run: false,
};

describe('statusView', () => {
  it('shows the overall colour with its rule, processes with CPU and memory, then the services', () => {
    expect(statusView(snapshot, NOW, { width: 100 }).split('\n')).toEqual([
      'overall: yellow — crasher is backing off',
      '  rule: process state: backoff',
      '',
      'NAME     STATE    HEALTH  PID   CPU  MEMORY  UPTIME  RESTARTS',
      'web      running  green   101  0.3%  42.1MB   1m30s         2',
      'crasher  backoff  yellow    -     -       -       -         4  next attempt in 45 s',
      'dead     fatal    red       -     -       -       -         6  too many failures (5 in 10m)',
      '',
      'SERVICE  HEALTH         WHY',
      'netbird  not-installed  not installed',
      '',
      'upstream: internet ok 23 ms, dns failing (timeout)',
    ]);
  });

  it('paints the colours it names, and only adds escapes', () => {
    const painted = statusView(snapshot, NOW, { width: 100, c });
    expect(strip(painted)).toBe(statusView(snapshot, NOW, { width: 100 }));
    expect(painted).toContain(`overall: ${c.yellow('yellow')}`);
    expect(painted).toContain(c.green('running'));
    expect(painted).toContain(c.red(c.bold('fatal')));
    expect(painted).toContain(c.dim('not-installed'));
  });

  it('says when recovery is a dry run, and when nothing is configured', () => {
    const out = statusView({ ...snapshot, processes: [], dry_run: true }, NOW).split('\n');
    expect(out).toContain('  dry run: recovery only says what it would do');
    expect(out).toContain('no processes configured');
  });

  it('keeps every line within the width, cutting the note', () => {
    const long = { ...processes[2]!, reason: 'x'.repeat(200) };
    for (const width of [100, 80]) {
      const lines = processTable([base, long], snapshot.overall.services, NOW, { width }).split('\n');
      for (const l of lines) expect(l.length).toBeLessThanOrEqual(width);
      expect(lines[2]).toMatch(/x…$/);
    }
  });
});

describe('note', () => {
  it.each<[Partial<ProcessInfo>, string]>([
    [{ state: 'backoff', next_attempt_at: NOW + 500 }, 'next attempt in 1 s'],
    [{ state: 'backoff', next_attempt_at: NOW - 1000 }, 'next attempt in 0 s'],
    [{ state: 'exited', reason: 'exit 0' }, 'exit 0'],
    [{ state: 'running', reason: 'started' }, ''],
    [
      { state: 'stopped', schedule: { enabled: true, next_run: at(15, 0), last_run: null, description: 'hourly' } },
      'next run Dec 02 15:00:00',
    ],
    [{ state: 'stopped', schedule: { enabled: false, next_run: at(15, 0), last_run: null, description: 'x' } }, ''],
  ])('%j → %s', (p, out) => expect(note({ ...base, ...p }, NOW)).toBe(out));
});

describe('upstreamLine', () => {
  it('colours ok green and failing red', () => {
    expect(upstreamLine(snapshot.overall.upstream, c)).toBe(
      `upstream: internet ${c.green('ok')} 23 ms, dns ${c.red('failing')} (timeout)`,
    );
  });
});

describe('logLine', () => {
  const lines = [
    { id: 1, process: 'web', stream: 'out' as const, at: at(14, 3, 5), line: 'listening on 8080' },
    { id: 2, process: 'worker', stream: 'err' as const, at: at(14, 3, 6), line: 'GET / 200' },
    { id: 3, process: 'web', stream: 'sys' as const, at: at(14, 3, 7), line: 'exited with code 1' },
  ];

  it('prints local time, a padded label and aligned bars', () => {
    const width = labelWidth(lines);
    expect(width).toBe('worker/err'.length);
    expect(lines.map((l) => logLine(l, { labelWidth: width, now: NOW }))).toEqual([
      'Dec 02 14:03:05 web        | listening on 8080',
      'Dec 02 14:03:06 worker/err | GET / 200',
      'Dec 02 14:03:07 web/sys    | exited with code 1',
    ]);
  });

  it('gives each process its colour, marks err in red (not the line), dims markers', () => {
    const [out, err, sys] = lines.map((l) => logLine(l, { labelWidth: 10, now: NOW, c }));
    expect(out).toContain(c.dim('Dec 02 14:03:05'));
    expect(out).not.toBe(strip(out!));
    expect(strip(err!)).toBe('Dec 02 14:03:06 worker/err | GET / 200');
    expect(err).toContain(`/${c.red('err')}`);
    expect(err!.endsWith(' GET / 200')).toBe(true); // the text itself is not painted
    expect(sys).toContain(c.dim('exited with code 1'));
    expect(out!.indexOf(c.dim('|'))).toBeGreaterThan(0);
  });

  it('a later, longer label only widens the padding', () => {
    expect(labelWidth([{ process: 'a', stream: 'out' }], 8)).toBe(8);
    expect(labelWidth([{ process: 'a-much-longer-name', stream: 'out' }], 8)).toBe(18);
  });
});

const failure = (over: Partial<FailureSummary>): FailureSummary => ({
  id: 1,
  service: 'web',
  kind: 'down',
  started_at: at(13, 58, 10),
  detected_by: 'web:http',
  reason: 'web: http check failed',
  upstream_down: false,
  restart_attempted: true,
  restart_successful: true,
  recovered_at: at(13, 58, 40),
  time_to_recover_ms: 30_000,
  outcome: 'recovered after restart',
  ...over,
});

describe('failuresView', () => {
  const page = {
    total: 120,
    items: [
      failure({ id: 118, outcome: null, recovered_at: null, reason: 'connection refused '.repeat(12) }),
      failure({
        id: 117,
        service: 'a-service-with-a-name-far-longer-than-the-column',
        kind: 'unreachable',
        outcome: 'not restarted: upstream down',
        recovered_at: null,
      }),
      failure({ id: 9, started_at: new Date(2025, 5, 1, 8, 0, 0).getTime() }),
    ],
  };

  it('fits 100 columns: the reason and long names are cut, ids lead to `sentinel report`', () => {
    const lines = failuresView(page, { now: NOW, width: 100 }).split('\n');
    expect(lines).toEqual([
      ' ID  STARTED              SERVICE           KIND         OUTCOME           REASON',
      '118  Dec 02 13:58:10      web               down         open              connection refused conne…',
      '117  Dec 02 13:58:10      a-service-with-…  unreachable  not restarted: …  web: http check failed',
      '  9  2025-06-01 08:00:00  web               down         recovered after…  http check failed',
      '3 of 120 · details: sentinel report <ID>',
    ]);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(100);
  });

  it('fits a narrower terminal too', () => {
    for (const l of failuresView(page, { now: NOW, width: 72 }).split('\n')) expect(l.length).toBeLessThanOrEqual(72);
  });

  it('paints outcomes: recovered green, open red, anything else yellow', () => {
    const out = failuresView(page, { now: NOW, width: 100, c });
    expect(out).toContain(c.red('open'));
    expect(out).toContain(c.yellow('not restarted: …'));
    expect(out).toContain(c.green('recovered after…'));
    expect(strip(out)).toBe(failuresView(page, { now: NOW, width: 100 }));
  });

  it('says so when there is nothing', () => {
    expect(failuresView({ items: [], total: 0 }, { now: NOW, width: 100 })).toBe('no failures recorded');
  });
});

describe('statsView', () => {
  const stats: Stats = {
    since: at(0, 0),
    total: 7,
    by_hour: Array.from({ length: 24 }, (_, h) => (h === 3 ? 4 : h === 14 ? 2 : h === 22 ? 1 : 0)),
    by_weekday: [0, 3, 0, 4, 0, 0, 0],
    mtbf_ms: 11_520_000,
    mttr_ms: 45_000,
    top_kinds: [
      { kind: 'down', count: 5 },
      { kind: 'hung', count: 2 },
    ],
    by_service: [{ service: 'web', count: 7 }],
  };

  it('lists the totals, then counts by hour and by weekday as its help promises', () => {
    expect(statsView(stats, { now: NOW, width: 100 }).split('\n')).toEqual([
      'failures: 7 since Dec 02 00:00:00',
      'MTBF: 3h12m',
      'MTTR: 45s',
      'top kinds: down (5), hung (2)',
      'by service: web (7)',
      '',
      'by hour (local time)',
      ' 00 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20 21 22 23',
      '           █                                ▄                       ▂',
      '  0  0  0  4  0  0  0  0  0  0  0  0  0  0  2  0  0  0  0  0  0  0  1  0',
      '',
      'by weekday',
      ' Sun Mon Tue Wed Thu Fri Sat',
      '       ▆       █',
      '   0   3   0   4   0   0   0',
    ]);
  });

  it('breaks the hours into rows when the counts get wide, and leaves out bars when all is zero', () => {
    const big = counts(
      Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')),
      Array.from({ length: 24 }, () => 12345),
      100,
    );
    expect(big).toHaveLength(6); // two rows of 12, each with labels, bars and counts
    for (const l of big) expect(l.length).toBeLessThanOrEqual(100);
    expect(counts(['a', 'b'], [0, 0], 100)).toEqual([' a b', ' 0 0']);
  });
});
