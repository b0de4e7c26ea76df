import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../src-main/core/util/duration';
import { formatBytes, parseBytes } from '../../../src-main/core/util/bytes';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['120s', 120_000],
    ['30m', 1_800_000],
    ['5h', 18_000_000],
    ['1h30m', 5_400_000],
    ['7d', 604_800_000],
    ['1.5s', 1_500],
    ['0', 0],
    [' 2m ', 120_000],
    ['1m30s250ms', 90_250],
  ])('%s → %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', 'soon', '10', '5 m', '-1s', '1h 30m', 'm5', '1x'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it.each([
    [250, '250ms'],
    [45_000, '45s'],
    [5_400_000, '1h30m'],
    [90_061_000, '1d1h1m1s'],
  ])('%d → %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('bytes', () => {
  it.each([
    ['500MB', 500 * 1024 ** 2],
    ['1GB', 1024 ** 3],
    ['1.5gb', 1.5 * 1024 ** 3],
    ['64KiB', 65_536],
    ['100', 100],
  ])('%s → %d', (text, n) => expect(parseBytes(text)).toBe(n));
  it.each(['', 'lots', '5 parsecs', '-1MB'])('rejects %j', (t) => expect(parseBytes(t)).toBeUndefined());
  it('formats', () => {
    expect(formatBytes(512)).toBe('512B');
    expect(formatBytes(1536)).toBe('1.5KB');
    expect(formatBytes(500 * 1024 ** 2)).toBe('500MB');
  });
});
