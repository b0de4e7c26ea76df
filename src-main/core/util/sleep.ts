/** Waiting that gives way to shutdown: recovery's and alert delivery's retry pauses. */
import { setTimeout as delay } from 'node:timers/promises';

/** Resolves true after `ms`, false as soon as the signal aborts (at once if it already has). */
export async function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  if (ms <= 0) return true;
  try {
    await delay(ms, undefined, { signal });
    return true;
  } catch {
    return false; // only an abort rejects
  }
}
