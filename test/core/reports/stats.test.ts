import { describe, expect, it } from 'vitest';
import type { FailureSummary } from '../../../src-main/shared/contract';
import { Stats } from '../../../src-main/shared/contract';
import { computeStats, meanTimeBetweenFailures, meanTimeToRecover } from '../../../src-main/core/reports/stats';

const t = (iso: string) => Date.parse(iso);
const MIN = 60_000;

function failure(
  id: number,
  service: string,
  kind: string,
  startedIso: string,
  recover: { ttr?: number; recoveredAfter?: number } = {},
): FailureSummary {
  const started_at = t(startedIso);
  const recovered_at =
    recover.ttr !== undefined
      ? started_at + recover.ttr
      : recover.recoveredAfter !== undefined
        ? started_at + recover.recoveredAfter
        : null;
  return {
    id,
    service,
    kind,
    started_at,
    detected_by: 'check',
    reason: kind,
    upstream_down: false,
    restart_attempted: true,
    restart_successful: recovered_at !== null,
    recovered_at,
    time_to_recover_ms: recover.ttr ?? null,
    outcome: recovered_at ? 'recovered' : null,
  };
}

// 2026-11-22 is a Sunday, 2026-11-23 a Monday.
const failures = [
  failure(1, 'web', 'crash', '2026-11-22T23:30:00Z', { ttr: 10_000 }),
  failure(2, 'web', 'crash', '2026-11-23T01:00:00Z', { ttr: 20_000 }),
  failure(3, 'web', 'health', '2026-11-23T03:30:00Z'),
  // Recovered, but time_to_recover_ms not stored: derived from recovered_at.
  failure(4, 'netbird', 'dns', '2026-11-23T01:15:00Z', { recoveredAfter: 30_000 }),
  failure(5, 'netbird', 'crash', '2026-11-23T02:15:00Z', { ttr: 60_000 }),
  failure(6, 'web', 'crash', '2026-11-01T12:00:00Z', { ttr: 999_000 }), // before the window
  failure(7, 'web', 'crash', '2026-11-23T07:00:00Z', { ttr: 999_000 }), // after now
];
const window = { since: t('2026-11-20T00:00:00Z'), now: t('2026-11-23T06:00:00Z') };

describe('computeStats', () => {
  it('counts, buckets and averages the failures in the window (UTC)', () => {
    const stats = computeStats(failures, { ...window, timeZone: 'UTC' });
    const hours = new Array(24).fill(0);
    hours[23] = 1;
    hours[1] = 2;
    hours[2] = 1;
    hours[3] = 1;
    expect(stats).toEqual({
      since: window.since,
      total: 5,
      by_hour: hours,
      by_weekday: [1, 4, 0, 0, 0, 0, 0],
      // web: gaps 90 and 150 min → 120 min; netbird: 60 min; mean of the two → 90 min.
      mtbf_ms: 90 * MIN,
      // (10 + 20 + 30 + 60) s / 4
      mttr_ms: 30_000,
      top_kinds: [
        { kind: 'crash', count: 3 },
        { kind: 'dns', count: 1 },
        { kind: 'health', count: 1 },
      ],
      by_service: [
        { service: 'web', count: 3 },
        { service: 'netbird', count: 2 },
      ],
      by_day: [
        { day: '2026-11-20', count: 0 },
        { day: '2026-11-21', count: 0 },
        { day: '2026-11-22', count: 1 },
        { day: '2026-11-23', count: 4 },
      ],
    });
    expect(() => Stats.parse(stats)).not.toThrow();
  });

  it('lists every day of the daily timeline, quiet ones too, from since (or the first failure for all time)', () => {
    const spread = [
      failure(1, 'web', 'crash', '2026-11-20T10:00:00Z'),
      failure(2, 'web', 'crash', '2026-11-23T01:00:00Z'),
    ];
    expect(computeStats(spread, { ...window, timeZone: 'UTC' }).by_day).toEqual([
      { day: '2026-11-20', count: 1 },
      { day: '2026-11-21', count: 0 },
      { day: '2026-11-22', count: 0 },
      { day: '2026-11-23', count: 1 },
    ]);
    // All time with no failures: just today; all time over a long history: the latest 366 days, ending today.
    expect(computeStats([], { since: 0, now: window.now, timeZone: 'UTC' }).by_day).toEqual([
      { day: '2026-11-23', count: 0 },
    ]);
    const old = [failure(1, 'web', 'crash', '2020-01-01T00:00:00Z'), ...spread];
    const days = computeStats(old, { since: 0, now: window.now, timeZone: 'UTC' }).by_day!;
    expect(days).toHaveLength(366);
    expect(days[days.length - 1]).toEqual({ day: '2026-11-23', count: 1 });
    // Across a daylight-saving change no day is skipped or doubled.
    const dst = computeStats([failure(1, 'web', 'crash', '2026-10-30T13:00:00Z')], {
      since: Date.parse('2026-10-30T12:00:00Z'),
      now: Date.parse('2026-11-03T12:00:00Z'),
      timeZone: 'America/New_York',
    });
    expect(dst.by_day!.map((d) => d.day)).toEqual([
      '2026-10-30',
      '2026-10-31',
      '2026-11-01',
      '2026-11-02',
      '2026-11-03',
    ]);
  });

  it('buckets by the given time zone (New York, UTC-5 in November: all on Sunday evening)', () => {
    const stats = computeStats(failures, { ...window, timeZone: 'America/New_York' });
    expect(stats.by_weekday).toEqual([5, 0, 0, 0, 0, 0, 0]);
    expect(Object.fromEntries(stats.by_hour.map((n, h) => [h, n]).filter(([, n]) => n))).toEqual({
      18: 1,
      20: 2,
      21: 1,
      22: 1,
    });
  });

  it('with no failures: zero counts, no MTBF/MTTR', () => {
    expect(computeStats([], { ...window, timeZone: 'UTC' })).toMatchObject({
      total: 0,
      mtbf_ms: null,
      mttr_ms: null,
      top_kinds: [],
      by_service: [],
      by_weekday: [0, 0, 0, 0, 0, 0, 0],
    });
  });

  it('uses the machine zone by default: every failure in the window lands in one hour and one weekday', () => {
    const stats = computeStats(failures, window);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect([stats.total, sum(stats.by_hour), sum(stats.by_weekday)]).toEqual([5, 5, 5]);
  });

  it.each([
    [{ since: 10, now: 5 }, /since \(10\) is after now \(5\)/],
    [{ since: Number.NaN, now: 5 }, /since and now must be epoch milliseconds/],
    [{ since: 0, now: 5, timeZone: 'Mars/Olympus' }, /timeZone "Mars\/Olympus" is not an IANA time zone/],
  ])('rejects bad options %j', (options, message) => {
    expect(() => computeStats(failures, options)).toThrow(message);
  });
});

describe('MTBF and MTTR', () => {
  it.each([
    [
      'one failure per service',
      [
        { service: 'a', started_at: 0 },
        { service: 'b', started_at: 5 },
      ],
      null,
    ],
    [
      'unsorted input',
      [
        { service: 'a', started_at: 300 },
        { service: 'a', started_at: 0 },
        { service: 'a', started_at: 100 },
      ],
      150,
    ],
    [
      'services averaged, not pooled',
      [
        { service: 'a', started_at: 0 },
        { service: 'a', started_at: 10 },
        { service: 'b', started_at: 0 },
        { service: 'b', started_at: 1000 },
      ],
      505,
    ],
  ])('MTBF: %s', (_name, input, expected) => expect(meanTimeBetweenFailures(input)).toBe(expected));

  it.each([
    ['none recovered', [{ started_at: 0, recovered_at: null, time_to_recover_ms: null }], null],
    [
      'stored durations',
      [
        { started_at: 0, recovered_at: 5, time_to_recover_ms: 100 },
        { started_at: 0, recovered_at: 5, time_to_recover_ms: 201 },
      ],
      151,
    ],
    ['derived from recovered_at', [{ started_at: 1000, recovered_at: 4000, time_to_recover_ms: null }], 3000],
  ])('MTTR: %s', (_name, input, expected) => expect(meanTimeToRecover(input)).toBe(expected));
});
