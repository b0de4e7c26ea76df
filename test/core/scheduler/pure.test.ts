import { describe, expect, it } from 'vitest';
import { describeSchedule } from '../../../src-main/core/scheduler/describe';
import { nextEvery, validateSchedule } from '../../../src-main/core/scheduler/trigger';
import { catchUpDecision } from '../../../src-main/core/scheduler/catch-up';
import { clockJump } from '../../../src-main/core/scheduler/clock-jump';

describe('describeSchedule', () => {
  it.each([
    [{ every: 900_000 }, 'every 15m'],
    [{ every: 1_000 }, 'every 1s'],
    [{ cron: '*/5 * * * * *', timezone: 'Europe/Berlin' }, 'cron */5 * * * * * (Europe/Berlin)'],
    [{ cron: ' 0 3 * * * ' }, 'cron 0 3 * * *'],
    [{ at: '2026-12-01T03:00' }, 'at 2026-12-01 03:00'],
    [{ at: '2026-12-01T03:00:00' }, 'at 2026-12-01 03:00'],
    [{ at: '2026-12-01T03:00:30Z' }, 'at 2026-12-01 03:00:30Z'],
  ])('%j → %s', (s, text) => expect(describeSchedule(s)).toBe(text));
});

describe('nextEvery (anchored, no drift)', () => {
  it.each([
    [1000, 500, 1000, 1500], // exactly on a tick → the next one
    [1000, 500, 1001, 1500],
    [1000, 500, 1499, 1500],
    [1000, 500, 1500, 2000],
    [1000, 500, 7777, 8000], // late by many ticks → the next tick on the grid, not now + interval
    [1000, 500, 0, 1500], // before the anchor
  ])('anchor %d every %d at %d → %d', (anchor, every, now, next) => expect(nextEvery(anchor, every, now)).toBe(next));
});

describe('catchUpDecision', () => {
  it.each([
    ['last', null, 10_000, 'none'],
    ['last', 9_000, 10_000, 'none'], // within grace: an on-time run
    ['last', 7_000, 10_000, 'run'],
    ['none', 7_000, 10_000, 'skip'],
    ['none', 11_000, 10_000, 'none'], // not due yet
  ] as const)('%s due %s now %d → %s', (c, due, now, d) => expect(catchUpDecision(c, due, now, 2_000)).toBe(d));
});

describe('clockJump', () => {
  it.each([
    [{ wall: 0, mono: 0 }, { wall: 5_000, mono: 5_000 }, 0],
    [{ wall: 0, mono: 0 }, { wall: 7_000, mono: 5_000 }, 0], // within tolerance
    [{ wall: 0, mono: 0 }, { wall: 3_605_000, mono: 5_000 }, 3_600_000], // slept an hour
    [{ wall: 10_000, mono: 0 }, { wall: 0, mono: 5_000 }, -15_000], // clock set back
  ])('%j → %j = %d', (a, b, drift) => expect(clockJump(a, b, 3_000)).toBe(drift));
});

describe('validateSchedule names the field', () => {
  it.each([
    [{ cron: '61 * * * *' }, /schedule\.cron: expected a cron expression .*minute/],
    [{ cron: '* * *' }, /schedule\.cron/],
    [{ cron: '* * * * *', timezone: 'Mars/Olympus' }, /schedule\.timezone: expected an IANA time zone/],
    [{ at: 'soon' }, /schedule\.at/],
  ])('%j', (s, re) => expect(() => validateSchedule(s)).toThrow(re));
  it('accepts 5- and 6-field cron with a timezone', () => {
    expect(() => validateSchedule({ cron: '*/5 * * * *', timezone: 'Europe/Berlin' })).not.toThrow();
    expect(() => validateSchedule({ cron: '*/2 * * * * *' })).not.toThrow();
  });
});
