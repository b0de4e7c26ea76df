import { describe, expect, it } from 'vitest';
import { parseProcStat, parsePsPidPgid, pidsInGroup } from '../../../src-main/platform/process-table';
import { sumUsage } from '../../../src-main/core/limits/group-usage';
import { emptyLimitState, trackLimits, type LimitState } from '../../../src-main/core/limits/limit-tracker';
import { LimitsSchema } from '../../../src-main/core/config/schema';

describe('parseProcStat', () => {
  it.each([
    ['1234 (node) S 1 1234 1234 0 -1 4194560', { pid: 1234, pgid: 1234, state: 'S' }],
    ['77 (weird) name) R 5 70 70 0', { pid: 77, pgid: 70, state: 'R' }], // ") " inside the command name
    ['88 (a b c) Z 1 9 9', { pid: 88, pgid: 9, state: 'Z' }],
    [
      '4242 (sleep) S 4240 4242 4242 0 -1 4194304 97 0 0 0 0 0 0 0 20 0 1 0 987654 2273280 130 18446744073709551615',
      { pid: 4242, pgid: 4242, state: 'S', startTicks: 987654 },
    ],
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
    expect(pidsInGroup(parsePsPidPgid(text), 412)).toEqual([412, 4120]);
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
