import { describe, expect, it } from 'vitest';
import { PROCESS_STATES } from '../../src-main/shared/contract';
import { LIVE_STATES, RUNNING_STATES, STATE_COLORS, stateColor, UP_STATES } from '../../src-main/shared/states';

describe('state groups', () => {
  it('nest: up ⊂ running ⊂ live, and every group holds only real states', () => {
    for (const s of UP_STATES) expect(RUNNING_STATES.has(s)).toBe(true);
    for (const s of RUNNING_STATES) expect(LIVE_STATES.has(s)).toBe(true);
    for (const group of [UP_STATES, RUNNING_STATES, LIVE_STATES])
      for (const s of group) expect(PROCESS_STATES).toContain(s);
  });

  it.each([
    ['running', 'green'],
    ['stopped', 'green'],
    ['exited', 'green'],
    ['starting', 'yellow'],
    ['backoff', 'yellow'],
    ['stopping', 'yellow'],
    ['fatal', 'red'],
  ] as const)('%s is %s', (state, color) => {
    expect(stateColor(state)).toBe(color);
  });

  it('colours every state', () => {
    expect(Object.keys(STATE_COLORS).sort()).toEqual([...PROCESS_STATES].sort());
  });
});
