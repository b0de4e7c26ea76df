/** restart.give_up: when a failing process goes fatal — window (default), startup (supervisord), never (launchd). */
import { describe, expect, it } from 'vitest';
import { RestartPolicySchema, type RestartPolicy } from '../../../src-main/core/config/schema';
import { decideRestart, FRESH_RETRY_STATE, type RetryState } from '../../../src-main/core/supervisor/restart-policy';

const policy = (p: Record<string, unknown>): RestartPolicy => RestartPolicySchema.parse(p);
type Exit = { code: number | null; signal: string | null; uptimeMs: number };
const crash = (uptimeMs: number): Exit => ({ code: 1, signal: null, uptimeMs });

/** Each exit one minute after the previous: the decision's action and delay. */
function run(p: RestartPolicy, exits: Exit[]): string[] {
  let state: RetryState = FRESH_RETRY_STATE;
  return exits.map((exit, i) => {
    const r = decideRestart(p, exit, state, i * 60_000, () => 0.5);
    state = r.state;
    return r.decision.action === 'restart' ? `restart ${r.decision.delayMs}` : r.decision.action;
  });
}

describe('give_up', () => {
  it('defaults to window', () => expect(policy({}).give_up).toBe('window'));

  it('window: a crash every minute after a short run ends fatal', () => {
    const p = policy({ delay: '1s', backoff: 1, max_retries: 2, window: '10m', reset_after: '30m' });
    expect(run(p, [crash(50_000), crash(50_000), crash(50_000)])).toEqual(['restart 1000', 'restart 1000', 'fatal']);
  });

  it('startup: failed starts in a row go fatal after max_retries, like supervisord startretries', () => {
    const p = policy({ give_up: 'startup', delay: '1s', backoff: 2, max_retries: 3, start_secs: '1s' });
    expect(run(p, [crash(100), crash(100), crash(100), crash(100)])).toEqual([
      'restart 1000',
      'restart 2000',
      'restart 4000',
      'fatal',
    ]);
  });

  it('startup: a process that got past start_secs is restarted for ever, even with max_retries 0', () => {
    const p = policy({ give_up: 'startup', delay: '1s', backoff: 2, max_retries: 0, start_secs: '1s' });
    expect(
      run(
        p,
        Array.from({ length: 20 }, () => crash(5_000)),
      ),
    ).toEqual(Array(20).fill('restart 1000'));
  });

  it('startup: a run past start_secs clears the failed starts before it', () => {
    const p = policy({ give_up: 'startup', delay: '1s', backoff: 1, max_retries: 2, start_secs: '1s' });
    expect(run(p, [crash(100), crash(100), crash(5_000), crash(100), crash(100), crash(100)])).toEqual([
      'restart 1000',
      'restart 1000',
      'restart 1000',
      'restart 1000',
      'restart 1000',
      'fatal',
    ]);
  });

  it('never: restarts with the capped backoff for ever', () => {
    const p = policy({ give_up: 'never', delay: '10s', backoff: 1, max_retries: 0 });
    const decisions = run(
      p,
      Array.from({ length: 50 }, () => crash(10)),
    );
    expect(decisions).toEqual(Array(50).fill('restart 10000'));
  });

  it('never: the kept failure list stays bounded by the window', () => {
    const p = policy({ give_up: 'never', delay: '1s', backoff: 1, window: '5m' });
    let state: RetryState = FRESH_RETRY_STATE;
    for (let i = 0; i < 1000; i++) state = decideRestart(p, crash(10), state, i * 60_000).state;
    expect(state.failures.length).toBeLessThanOrEqual(6);
  });
});
