/** The windows' pure helpers (display formats, hash routes, filters), table-tested without a browser. */
import { describe, expect, it } from 'vitest';
import {
  compileFilter,
  formatBytes,
  formatCpu,
  formatDuration,
  nextAttemptText,
} from '../../src-renderer/src/lib/format';
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
