import { describe, expect, it } from 'vitest';
import { sleepUnlessAborted } from '../../../src-main/core/util/sleep';

describe('sleepUnlessAborted', () => {
  it('resolves true once the time has passed', async () => {
    const t0 = performance.now();
    expect(await sleepUnlessAborted(30, new AbortController().signal)).toBe(true);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
  });
  it('resolves true at once for no time', async () => {
    expect(await sleepUnlessAborted(0, new AbortController().signal)).toBe(true);
  });
  it('resolves false at once when already aborted', async () => {
    expect(await sleepUnlessAborted(60_000, AbortSignal.abort())).toBe(false);
  });
  it('resolves false as soon as the signal aborts, long before the time is up', async () => {
    const stop = new AbortController();
    const waiting = sleepUnlessAborted(60_000, stop.signal);
    stop.abort();
    expect(await waiting).toBe(false);
  });
});
