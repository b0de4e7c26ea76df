import { describe, expect, it } from 'vitest';
import { RestartPolicySchema, type RestartPolicy } from '../../../src-main/core/config/schema';
import {
  backoffDelay,
  classifyExit,
  decideRestart,
  FRESH_RETRY_STATE,
  type RetryState,
} from '../../../src-main/core/supervisor/restart-policy';

const policy = (p: Record<string, unknown> = {}): RestartPolicy => RestartPolicySchema.parse(p);

describe('backoffDelay', () => {
  const p = policy({ delay: '1s', backoff: 2, max_delay: '10s' });
  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [4, 8000],
    [5, 10_000],
    [20, 10_000],
    [0, 1000],
  ])('failure #%d → %d ms', (n, ms) => expect(backoffDelay(p, n)).toBe(ms));

  // A delay longer than max_delay (explicit or the 1m default) is honoured, never silently capped.
  it.each([
    [{ delay: '5h' }, 1, 5 * 3_600_000],
    [{ delay: '5h' }, 3, 5 * 3_600_000],
    [{ delay: '30m', backoff: 1 }, 4, 30 * 60_000],
    [{ delay: '120s' }, 1, 120_000],
    [{ delay: '1h30m', max_delay: '10m' }, 1, 5_400_000],
    [{ delay: '2m', max_delay: '10m', backoff: 2 }, 4, 600_000],
  ])('%j failure #%d → %d ms', (p, n, ms) => expect(backoffDelay(policy(p), n)).toBe(ms));

  it('says the delay it will wait, in the words it was given', () => {
    const { decision } = decideRestart(
      policy({ delay: '5h' }),
      { code: 1, signal: null, uptimeMs: 10 },
      FRESH_RETRY_STATE,
      0,
    );
    expect(decision).toMatchObject({
      action: 'restart',
      delayMs: 18_000_000,
      reason: expect.stringMatching(/ in 5h$/),
    });
  });

  it('fixed delay when backoff is 1', () => expect(backoffDelay(policy({ delay: '500ms', backoff: 1 }), 7)).toBe(500));

  it.each([
    [0, 900],
    [0.5, 1000],
    [0.9999999, 1100],
  ])('jitter ±10%% with random %d → %d', (r, ms) =>
    expect(backoffDelay(policy({ delay: '1s', jitter: 0.1 }), 1, () => r)).toBe(ms),
  );
});

describe('classifyExit', () => {
  it.each([
    [{ code: 0, signal: null }, {}, 'success'],
    [{ code: 1, signal: null }, {}, 'failure'],
    [{ code: 3, signal: null }, { success: [0, 3] }, 'success'],
    [{ code: 0, signal: null }, { success: [3] }, 'failure'],
    [{ code: 2, signal: null }, { failure: [2] }, 'failure'],
    [{ code: 1, signal: null }, { failure: [2] }, 'success'],
    [{ code: null, signal: 'SIGSEGV' }, {}, 'failure'],
    [{ code: null, signal: 'SIGTERM' }, { success: [0, 143] }, 'failure'],
  ] as const)('%j with %j → %s', (exit, codes, kind) =>
    expect(classifyExit(exit, policy({ exit_codes: codes }).exit_codes)).toBe(kind),
  );
});

describe('decideRestart', () => {
  const crash = (uptimeMs = 100) => ({ code: 1, signal: null, uptimeMs });
  const clean = (uptimeMs = 100) => ({ code: 0, signal: null, uptimeMs });

  /** Feeds a series of exits at the given times; returns each decision's action and delay. */
  function run(
    p: RestartPolicy,
    exits: { at: number; exit: { code: number | null; signal: string | null; uptimeMs: number } }[],
  ) {
    let state: RetryState = FRESH_RETRY_STATE;
    return exits.map(({ at, exit }) => {
      const r = decideRestart(p, exit, state, at, () => 0.5);
      state = r.state;
      return r.decision.action === 'restart' ? `restart ${r.decision.delayMs}` : r.decision.action;
    });
  }

  it('grows the delay, then goes fatal after max_retries failures in the window', () => {
    const p = policy({ delay: '100ms', backoff: 2, max_retries: 3, window: '1m' });
    expect(
      run(
        p,
        [0, 1, 2, 3].map((i) => ({ at: i * 1000, exit: crash() })),
      ),
    ).toEqual(['restart 100', 'restart 200', 'restart 400', 'fatal']);
  });

  it('counts failures only within the sliding window', () => {
    const p = policy({ delay: '100ms', backoff: 1, max_retries: 2, window: '10s', reset_after: '1h' });
    // Failures 8 s apart: at most two fall inside any 10 s window, so it never gives up.
    expect(
      run(
        p,
        [0, 8, 16, 24, 32].map((s) => ({ at: s * 1000, exit: crash() })),
      ),
    ).toEqual(Array(5).fill('restart 100'));
    // Three within 10 s: fatal.
    expect(
      run(
        p,
        [0, 3, 6].map((s) => ({ at: s * 1000, exit: crash() })),
      ),
    ).toEqual(['restart 100', 'restart 100', 'fatal']);
  });

  it('a stable run resets the count and the backoff', () => {
    const p = policy({ delay: '100ms', backoff: 2, max_retries: 2, reset_after: '30s' });
    expect(
      run(p, [
        { at: 0, exit: crash() },
        { at: 1000, exit: crash() },
        { at: 60_000, exit: crash(45_000) }, // stayed up 45 s: fresh start
        { at: 61_000, exit: crash() },
        { at: 62_000, exit: crash() },
      ]),
    ).toEqual(['restart 100', 'restart 200', 'restart 100', 'restart 200', 'fatal']);
  });

  it('honours expected exit codes even for an early exit (supervisord #260)', () => {
    const p = policy({ policy: 'on-failure', exit_codes: { success: [0, 2] }, start_secs: '10s' });
    expect(run(p, [{ at: 0, exit: { code: 2, signal: null, uptimeMs: 5 } }])).toEqual(['exit']);
  });

  it.each([
    ['never', crash(), 'exit'],
    ['never', clean(), 'exit'],
    ['on-failure', clean(), 'exit'],
    ['on-failure', crash(), 'restart 1000'],
    ['always', crash(), 'restart 1000'],
    ['always', clean(5_000), 'restart 1000'],
  ] as const)('policy %s, exit %j → %s', (name, exit, want) => {
    expect(run(policy({ policy: name }), [{ at: 0, exit }])).toEqual([want]);
  });

  it('under always, quick clean exits are a crash loop and count against max_retries', () => {
    const p = policy({ policy: 'always', max_retries: 1, start_secs: '1s', delay: '0' });
    expect(
      run(
        p,
        [0, 1].map((i) => ({ at: i, exit: clean(10) })),
      ),
    ).toEqual(['restart 10', 'fatal']);
  });

  it.each([
    [0, 20],
    [5, 15],
    [20, 0],
    [500, 0],
  ])('delay 0: a child that lived %d ms restarts after %d ms (no fork storm)', (uptimeMs, delayMs) => {
    expect(run(policy({ delay: 0, max_retries: 10 }), [{ at: 0, exit: crash(uptimeMs) }])).toEqual([
      `restart ${delayMs}`,
    ]);
  });

  it('retry_after schedules a fresh attempt after fatal', () => {
    const p = policy({ max_retries: 0, retry_after: '15m' });
    const r = decideRestart(p, crash(), FRESH_RETRY_STATE, 1_000);
    expect(r.decision).toMatchObject({ action: 'fatal', retryAt: 1_000 + 900_000 });
    expect(r.decision.reason).toMatch(/trying again in 15m/);
    const never = decideRestart(policy({ max_retries: 0 }), crash(), FRESH_RETRY_STATE, 1_000);
    expect(never.decision).toMatchObject({ action: 'fatal', retryAt: null });
  });

  it('explains itself', () => {
    const r = decideRestart(
      policy({ delay: '2s', max_retries: 5 }),
      { code: null, signal: 'SIGSEGV', uptimeMs: 10 },
      FRESH_RETRY_STATE,
      0,
    );
    expect(r.decision.reason).toBe('killed by SIGSEGV; restart 1/5 in 2s');
  });
});
