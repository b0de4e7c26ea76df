import { describe, expect, it } from 'vitest';
import { parseProcStat, parsePsPidPgid } from '../../../src-main/platform/process-table';
import { sumUsage, usageFromProc, type TickSnapshot } from '../../../src-main/core/limits/group-usage';
import { emptyLimitState, trackLimits, type LimitState } from '../../../src-main/core/limits/limit-tracker';
import { LimitsSchema } from '../../../src-main/core/config/schema';

describe('parseProcStat', () => {
  it.each([
    ['1234 (node) S 1 1234 1234 0 -1 4194560', { pid: 1234, pgid: 1234, state: 'S' }],
    ['77 (weird) name) R 5 70 70 0', { pid: 77, pgid: 70, state: 'R' }], // ") " inside the command name
    ['88 (a b c) Z 1 9 9', { pid: 88, pgid: 9, state: 'Z' }],
    [
      '4242 (sleep) S 4240 4242 4242 0 -1 4194304 97 0 0 0 0 0 0 0 20 0 1 0 987654 2273280 130 18446744073709551615',
      { pid: 4242, pgid: 4242, state: 'S', startTicks: 987654, cpuTicks: 0, rssPages: 130 },
    ],
    [
      // utime 1520 + stime 310 ticks, rss 3012 pages; a command name with spaces and parentheses.
      '51 (node (worker) x) R 1 51 51 0 -1 4194304 5000 0 3 0 1520 310 0 0 20 0 11 0 4400 1234567 3012 18446744073709551615',
      { pid: 51, pgid: 51, state: 'R', startTicks: 4400, cpuTicks: 1830, rssPages: 3012 },
    ],
    ['90 (x) S 1 notanumber 9', null],
    ['garbage', null],
    ['12 (x', null],
  ])('%s', (text, want) => expect(parseProcStat(text)).toEqual(want));
});

describe('parsePsPidPgid', () => {
  it('parses right-aligned columns and skips junk', () => {
    const text = '    1     1\n  412   412\n 4120   412\nPID PGID\n\n 99999 4120 extra\n';
    expect(parsePsPidPgid(text)).toEqual([
      { pid: 1, pgid: 1 },
      { pid: 412, pgid: 412 },
      { pid: 4120, pgid: 412 },
    ]);
  });
});

describe('sumUsage', () => {
  it('sums live pids and skips vanished ones', () => {
    expect(sumUsage({ 1: { cpu: 10, memory: 100 }, 2: null, 3: { cpu: 2.5, memory: 50 } })).toEqual({
      cpu: 12.5,
      memory: 150,
      pids: 2,
    });
    expect(sumUsage({})).toEqual({ cpu: 0, memory: 0, pids: 0 });
  });
});

describe('usageFromProc', () => {
  const clock = { hz: 100, pageSize: 4096 };
  const row = (pid: number, cpuTicks: number, rssPages: number, startTicks = 1000, state = 'S') => ({
    pid,
    pgid: 7,
    state,
    startTicks,
    cpuTicks,
    rssPages,
  });
  const prev = (atMs: number, ticks: Record<string, number>): TickSnapshot => ({
    atMs,
    ticks: new Map(Object.entries(ticks)),
  });
  it.each([
    // [what, members, now (ms since boot), previous sample, cpu %, memory, pids]
    ['first sample: the average over its life (100 ticks in 10 s)', [row(7, 100, 10)], 20_000, null, 10, 40_960, 1],
    [
      'since the previous sample (50 ticks in 1 s)',
      [row(7, 150, 10)],
      21_000,
      prev(20_000, { '7:1000': 100 }),
      50,
      40_960,
      1,
    ],
    [
      'two members: one known, one new',
      [row(7, 150, 10), row(8, 20, 5, 1900)],
      21_000,
      prev(20_000, { '7:1000': 100 }),
      50 + 10,
      61_440,
      2,
    ],
    ['a recycled pid is a new member', [row(7, 30, 1, 1800)], 21_000, prev(20_000, { '7:1000': 500 }), 10, 4096, 1],
    ['a zombie counts for nothing', [row(7, 100, 0, 1000, 'Z')], 20_000, null, 0, 0, 0],
    ['no member', [], 20_000, null, 0, 0, 0],
    ['idle since the previous sample', [row(7, 100, 10)], 25_000, prev(20_000, { '7:1000': 100 }), 0, 40_960, 1],
  ])('%s', (_what, members, now, before, cpu, memory, pids) => {
    const { usage, snapshot } = usageFromProc(members, now, before, clock);
    if (pids === 0) expect(usage).toBeNull();
    else {
      expect(usage?.cpu).toBeCloseTo(cpu, 6);
      expect(usage).toMatchObject({ memory, pids });
    }
    expect(snapshot.atMs).toBe(now);
    expect(snapshot.ticks.size).toBe(pids);
  });
  it('a row without figures (ps on macOS) is skipped', () => {
    expect(usageFromProc([{ pid: 1, pgid: 7 }], 1000, null, clock).usage).toBeNull();
  });
});

describe('trackLimits', () => {
  const limits = LimitsSchema.parse({ memory: '500MB', cpu: '90%', for: '30s', action: 'restart' });
  const MB = 1024 * 1024;
  const feed = (samples: [number, number, number][]) => {
    let state: LimitState = emptyLimitState();
    const out: (string | null)[] = [];
    for (const [at, mem, cpu] of samples) {
      const r = trackLimits(state, { memory: mem * MB, cpu, pids: 1 }, limits, at);
      state = r.state;
      out.push(r.breach?.reason ?? null);
    }
    return out;
  };
  it('acts only after being over continuously for `for`', () => {
    expect(
      feed([
        [0, 600, 0],
        [10_000, 610, 0],
        [29_999, 612, 0],
        [30_000, 612, 0],
      ]),
    ).toEqual([null, null, null, 'memory 612MB > 500MB for 30s → restart']);
  });
  it('a dip under the limit resets the clock', () => {
    expect(
      feed([
        [0, 600, 0],
        [20_000, 400, 0],
        [40_000, 600, 0],
        [60_000, 600, 0],
        [70_000, 600, 0],
      ]),
    ).toEqual([null, null, null, null, 'memory 600MB > 500MB for 30s → restart']);
  });
  it('cpu counts the same way; equal to the limit is not over', () => {
    expect(
      feed([
        [0, 1, 95],
        [30_000, 1, 95.25],
      ]),
    ).toEqual([null, 'cpu 95.3% > 90% for 30s → restart']);
    expect(
      feed([
        [0, 500, 90],
        [40_000, 500, 90],
      ]),
    ).toEqual([null, null]);
  });
  it('after acting the clock restarts', () => {
    expect(
      feed([
        [0, 600, 0],
        [30_000, 600, 0],
        [40_000, 600, 0],
        [70_000, 600, 0],
      ]),
    ).toEqual([null, expect.any(String), null, expect.any(String)]);
  });
});
