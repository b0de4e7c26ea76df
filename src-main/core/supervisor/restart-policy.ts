/**
 * The restart decision and its backoff maths, pure and table-tested. It closes the gaps users report in PM2 and
 * supervisord: expected exit codes are honoured even for an early exit, retries are counted within a sliding
 * window (a process crashing every few minutes cannot restart for ever), a stable run resets the count, and
 * `retry_after` turns "fatal" into "try again later" instead of "wait for a person".
 */
import type { RestartPolicy } from '../config/schema';
import { formatDuration } from '../util/duration';

export type ExitKind = 'success' | 'failure';

export interface ExitInfo {
  code: number | null;
  signal: string | null;
  uptimeMs: number;
  /** Overrides the generated description, e.g. "could not spawn: ENOENT". */
  description?: string;
}

/** Failures counted against max_retries, and the run of consecutive ones that drives the backoff. */
export interface RetryState {
  /** Times (ms) of counted failures, oldest first, within the window. */
  failures: number[];
  consecutive: number;
}

export const FRESH_RETRY_STATE: RetryState = { failures: [], consecutive: 0 };

/**
 * Two starts of one process are never closer than this, whatever the configured delay: a child that dies at once
 * under `delay: 0` would otherwise be respawned hundreds of times a second (a fork storm that costs a core).
 * Children that live this long are restarted with exactly the configured delay.
 */
export const MIN_START_SPACING_MS = 20;

/** The configured delay, raised so the next start is at least MIN_START_SPACING_MS after the previous one. */
function spaced(delayMs: number, uptimeMs: number): number {
  return Math.max(delayMs, MIN_START_SPACING_MS - uptimeMs);
}

export type RestartDecision =
  | { action: 'restart'; delayMs: number; reason: string }
  | { action: 'exit'; reason: string }
  | { action: 'fatal'; reason: string; retryAt: number | null };

/** An exit by a signal we did not send is a failure; otherwise the exit_codes lists decide. */
export function classifyExit(exit: Pick<ExitInfo, 'code' | 'signal'>, codes: RestartPolicy['exit_codes']): ExitKind {
  if (exit.code === null) return 'failure';
  if (codes.failure !== undefined) return codes.failure.includes(exit.code) ? 'failure' : 'success';
  return codes.success.includes(exit.code) ? 'success' : 'failure';
}

/**
 * delay × backoff^(n−1), capped at max_delay, spread by ±jitter. `random` in [0, 1). A `delay` longer than
 * `max_delay` is honoured: the cap is never below the delay a person asked for (`delay: 5h` with the default
 * `max_delay: 1m` waits 5h, not 1m).
 */
export function backoffDelay(
  policy: Pick<RestartPolicy, 'delay' | 'backoff' | 'max_delay' | 'jitter'>,
  consecutive: number,
  random: () => number = Math.random,
): number {
  const n = Math.max(1, consecutive);
  const base = Math.min(Math.max(policy.max_delay, policy.delay), policy.delay * policy.backoff ** (n - 1));
  const spread = policy.jitter > 0 ? base * policy.jitter * (2 * random() - 1) : 0;
  return Math.max(0, Math.round(base + spread));
}

export function describeExit(exit: Pick<ExitInfo, 'code' | 'signal'>): string {
  return exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

/**
 * What to do after an exit that nobody asked for. Returns the decision and the retry state to keep.
 * A restart counts against max_retries when the exit was a failure, or when the process did not even stay up
 * start_secs (an "unstable" clean exit under `always` is a crash loop too).
 */
export function decideRestart(
  policy: RestartPolicy,
  exit: ExitInfo,
  previous: RetryState,
  now: number,
  random: () => number = Math.random,
): { decision: RestartDecision; state: RetryState } {
  const kind = classifyExit(exit, policy.exit_codes);
  const what = exit.description ?? describeExit(exit);
  // supervisord: once a process got past startsecs (RUNNING), its backoff and failed-start count start over.
  const stable = exit.uptimeMs >= (policy.give_up === 'startup' ? policy.start_secs : policy.reset_after);
  const base: RetryState = stable ? FRESH_RETRY_STATE : previous;

  if (policy.policy === 'never')
    return { decision: { action: 'exit', reason: `${what}; restart policy is never` }, state: base };
  if (kind === 'success' && policy.policy === 'on-failure') {
    return { decision: { action: 'exit', reason: `${what} (a clean exit)` }, state: base };
  }

  const early = exit.uptimeMs < policy.start_secs;
  // Under `startup` only a failed start counts; a process that was running is restarted whatever its exit.
  const counted = policy.give_up === 'startup' ? early : kind === 'failure' || early;
  if (!counted) {
    // A clean, stable exit under `always` (or any exit after start-up under `startup`): come back after the base
    // delay, without growing it.
    return {
      decision: {
        action: 'restart',
        delayMs: spaced(backoffDelay(policy, 1, random), exit.uptimeMs),
        reason: `${what}; ${kind === 'failure' ? 'it had started, so it is restarted' : 'policy always'}`,
      },
      state: base,
    };
  }

  // `startup` counts failed starts in a row (a stable run cleared them above); the others count within the window
  // (which also keeps the list short under `never`).
  const recent = policy.give_up === 'startup' ? base.failures : base.failures.filter((t) => t > now - policy.window);
  const failures = [...recent, now];
  const state: RetryState = { failures, consecutive: base.consecutive + 1 };
  if (policy.give_up !== 'never' && failures.length > policy.max_retries) {
    const retryAt = policy.retry_after === null ? null : now + policy.retry_after;
    const counted =
      policy.give_up === 'startup'
        ? `${failures.length} failed starts in a row`
        : `${failures.length} failures within ${formatDuration(policy.window)}`;
    const reason =
      `${what}; ${counted} exceed max_retries ${policy.max_retries}` +
      (retryAt === null ? '' : `; trying again in ${formatDuration(policy.retry_after!)}`);
    return { decision: { action: 'fatal', reason, retryAt }, state };
  }
  const delayMs = spaced(backoffDelay(policy, state.consecutive, random), exit.uptimeMs);
  return {
    decision: {
      action: 'restart',
      delayMs,
      reason:
        policy.give_up === 'never'
          ? `${what}; restart in ${formatDuration(delayMs)}`
          : `${what}; restart ${failures.length}/${policy.max_retries} in ${formatDuration(delayMs)}`,
    },
    state,
  };
}
