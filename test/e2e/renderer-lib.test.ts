/** The windows' pure helpers (display formats, hash routes, filters), table-tested without a browser. */
import { describe, expect, it } from 'vitest';
import {
  clockTime,
  compileFilter,
  formatBytes,
  formatCpu,
  formatDuration,
  logTime,
  nextAttemptText,
  offsetText,
  processDetail,
  relativeTime,
  sortBy,
} from '../../src-renderer/src/lib/format';
import { overallCount, overallHeadline, toneOfProcess, toneOfService } from '../../src-renderer/src/lib/symbols';
import { formatHash, parseHash } from '../../src-renderer/src/lib/route';

describe('formatDuration', () => {
  it.each([
    [null, '—'],
    [Number.NaN, '—'],
    [-5, '0 s'],
    [0, '0 s'],
    [44_600, '45 s'],
    [61_000, '1 min 1 s'],
    [3_600_000 + 120_000, '1 h 2 min'],
    [3 * 86_400_000 + 3_600_000, '3 d 1 h'],
  ])('%s ms → %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('formatBytes / formatCpu', () => {
  it.each([
    [null, '—'],
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.5 KB'],
    [45 * 1024 * 1024, '45 MB'],
    [3 * 1024 ** 3, '3.0 GB'],
  ])('%s bytes → %s', (n, text) => expect(formatBytes(n)).toBe(text));
  it('prints CPU with one decimal', () => {
    expect(formatCpu(null)).toBe('—');
    expect(formatCpu(12.345)).toBe('12.3 %');
  });
});

describe('nextAttemptText', () => {
  it.each([
    [null, 0, null],
    [45_000, 0, 'next attempt in 45 s'],
    [45_000, 100, 'next attempt in 45 s'], // rounds up: never says 0 s while an attempt is still ahead
    [1000, 5000, 'next attempt in 0 s'],
  ])('at %s, now %s → %s', (at, now, text) => expect(nextAttemptText(at, now)).toBe(text));
});

describe('compileFilter', () => {
  it('accepts no pattern, a valid one, and reports an invalid one instead of throwing', () => {
    expect(compileFilter('')).toEqual({ re: null, error: null });
    expect(compileFilter('^beta').re?.test('beta 1')).toBe(true);
    const bad = compileFilter('(');
    expect(bad.re).toBeNull();
    expect(bad.error).toMatch(/unterminated|Invalid/i);
  });
});

describe('hash routes', () => {
  it.each([
    ['', { route: 'status', param: null }],
    ['#/', { route: 'status', param: null }],
    ['#/failures', { route: 'failures', param: null }],
    ['#/failures/12', { route: 'failures', param: '12' }],
    ['#failures/12', { route: 'failures', param: '12' }],
    ['#/nowhere/3', { route: 'status', param: '3' }],
    ['#/logs/%E0%A4%A', { route: 'logs', param: null }],
  ])('%s → %o', (hash, loc) => expect(parseHash(hash)).toEqual(loc));
  it('formats what it parses', () => {
    expect(parseHash(formatHash('failures', 'a/b'))).toEqual({ route: 'failures', param: 'a/b' });
    expect(formatHash('stats')).toBe('#/stats');
  });
});

describe('relative and log times', () => {
  const now = Date.parse('2026-12-02T12:00:00');
  it.each([
    [null, '—'],
    [now - 2000, 'now'],
    [now - 45_000, /45 sec/],
    [now - 120_000, /2 min/],
    [now + 4000, 'now'],
    [now + 30_000, /in 30 sec/],
    [now - 3 * 3_600_000, /3 hr/],
    [now - 86_400_000, /yesterday|1 day/],
  ] as const)('%s → %s', (at, want) => {
    const text = relativeTime(at, now);
    if (typeof want === 'string') expect(text).toBe(want);
    else expect(text).toMatch(want);
  });
  it('shows the clock alone today and the date on another day', () => {
    expect(logTime(now - 60_000, now)).toBe(clockTime(now - 60_000));
    expect(logTime(now - 2 * 86_400_000, now)).toMatch(/^\S+ \S+ /);
  });
  it.each([
    [0, '+0 ms'],
    [250, '+250 ms'],
    [2100, '+2.1 s'],
    [125_000, '+2 min 5 s'],
  ])('offset %s ms → %s', (ms, text) => expect(offsetText(ms)).toBe(text));
});

describe('processDetail', () => {
  const base = { started_at: null, uptime_ms: null, next_attempt_at: null };
  it('says the uptime while running and the countdown while backing off, nothing otherwise', () => {
    expect(processDetail({ ...base, state: 'running', started_at: 0 }, 61_000)).toBe('up 1 min 1 s');
    expect(processDetail({ ...base, state: 'backoff', next_attempt_at: 4000 }, 0)).toBe('next attempt in 4 s');
    expect(processDetail({ ...base, state: 'stopped' }, 0)).toBeNull();
  });
});

describe('sortBy', () => {
  const rows = [
    { n: 'b', v: 2 },
    { n: 'a', v: null },
    { n: 'c', v: 1 },
    { n: 'd', v: 2 },
  ];
  it('sorts both ways, keeps ties in order and missing figures last either way', () => {
    expect(sortBy(rows, (r) => r.v, 'asc').map((r) => r.n)).toEqual(['c', 'b', 'd', 'a']);
    expect(sortBy(rows, (r) => r.v, 'desc').map((r) => r.n)).toEqual(['b', 'd', 'c', 'a']);
    expect(sortBy(rows, (r) => r.n, 'desc').map((r) => r.n)).toEqual(['d', 'c', 'b', 'a']);
  });
});

describe('status words', () => {
  const svc = (name: string, status: 'green' | 'yellow' | 'red' | 'not-installed', kind = 'process') => ({
    name,
    status,
    kind,
  });
  it('names what is down when few, counts when many, and says All OK otherwise', () => {
    expect(overallHeadline('green', [svc('web', 'green'), svc('db', 'green')])).toBe('All OK');
    expect(overallHeadline('red', [svc('web', 'red'), svc('db', 'green')])).toBe('web is down');
    expect(overallHeadline('red', [svc('web', 'red'), svc('db', 'red')])).toBe('web and db are down');
    expect(overallHeadline('red', [svc('a', 'red'), svc('b', 'red'), svc('c', 'red'), svc('d', 'green')])).toBe(
      '3 of 4 down',
    );
    expect(overallHeadline('yellow', [svc('web', 'yellow')])).toBe('web is degraded');
    expect(overallHeadline('green', [svc('netbird', 'not-installed')])).toBe('Nothing watched yet');
  });
  it('counts processes and services each by its own noun', () => {
    expect(overallCount([svc('a', 'green'), svc('b', 'green'), svc('pg', 'green', 'service')])).toBe(
      '2 processes · 1 service watched',
    );
    expect(overallCount([svc('a', 'green')])).toBe('1 process watched');
  });
  it('gives every process state a shape-bearing tone; stopped is grey, not a failure', () => {
    expect(toneOfProcess('running')).toBe('green');
    expect(toneOfProcess('backoff')).toBe('yellow');
    expect(toneOfProcess('fatal')).toBe('red');
    expect(toneOfProcess('stopped')).toBe('grey');
    expect(toneOfService('not-installed')).toBe('grey');
  });
});
