/**
 * Delivery of one alert to one channel: each attempt under a timeout, retries with exponential backoff for what
 * may pass (network errors, timeouts, 5xx, 429), none for what will not (a 4xx, a command that is not there).
 * Stops at once when Sentinel shuts down. Never throws: the outcome is data the caller records.
 */
import type { AlertEvent } from './events';
import { sleepUnlessAborted } from '../util/sleep';

export type AttemptResult = { ok: true; detail: string } | { ok: false; retry: boolean; error: string };

export interface ChannelSender {
  /** One attempt; `signal` aborts it (timeout or shutdown). */
  send(alert: AlertEvent, signal: AbortSignal): Promise<AttemptResult>;
}

export interface DeliveryPolicy {
  timeout: number;
  retries: number;
  backoff: number;
}

export interface DeliveryOutcome {
  ok: boolean;
  attempts: number;
  /** What the receiver said ("HTTP 200", "exit 0") or why it failed. */
  detail: string;
}

/** Retries never wait longer than this, whatever the backoff says. */
const MAX_BACKOFF_MS = 5 * 60_000;

export function retryDelay(retry: number, backoff: number): number {
  return Math.min(backoff * 2 ** (retry - 1), MAX_BACKOFF_MS);
}

export async function deliver(
  sender: ChannelSender,
  alert: AlertEvent,
  policy: DeliveryPolicy,
  stop: AbortSignal,
  onAttempt?: (attempt: number, result: AttemptResult) => void,
): Promise<DeliveryOutcome> {
  let last = 'not attempted';
  for (let attempt = 1; attempt <= policy.retries + 1; attempt++) {
    if (attempt > 1 && !(await sleepUnlessAborted(retryDelay(attempt - 1, policy.backoff), stop)))
      return { ok: false, attempts: attempt - 1, detail: `${last}; gave up: sentinel stopping` };
    if (stop.aborted) return { ok: false, attempts: attempt - 1, detail: 'not sent: sentinel stopping' };
    const timeout = AbortSignal.timeout(policy.timeout);
    let result: AttemptResult;
    try {
      result = await sender.send(alert, AbortSignal.any([timeout, stop]));
    } catch (err) {
      result = { ok: false, retry: true, error: (err as Error)?.message ?? String(err) };
    }
    if (!result.ok && timeout.aborted && !stop.aborted)
      result = { ok: false, retry: true, error: `timed out after ${policy.timeout} ms` };
    onAttempt?.(attempt, result);
    if (result.ok) return { ok: true, attempts: attempt, detail: result.detail };
    last = result.error;
    if (!result.retry || stop.aborted) return { ok: false, attempts: attempt, detail: last };
  }
  return { ok: false, attempts: policy.retries + 1, detail: last };
}
