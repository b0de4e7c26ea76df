/** PURE restart pacing for recovery: backoff between attempts and the hourly cap that prevents restart storms. */

const HOUR_MS = 3_600_000;

export interface RecoveryPacing {
  delay: number;
  backoff: number;
  max_delay: number;
  max_per_hour: number;
}

/** Delay before attempt `attempt` (1-based): delay × backoff^(attempt−1), capped at max_delay (never below delay). */
export function recoveryDelay(attempt: number, p: Pick<RecoveryPacing, 'delay' | 'backoff' | 'max_delay'>): number {
  return Math.min(Math.max(p.max_delay, p.delay), p.delay * p.backoff ** Math.max(0, attempt - 1));
}

/** Restarts within the hour before `now`. */
export function restartsInLastHour(history: readonly number[], now: number): number {
  return history.filter((t) => t > now - HOUR_MS && t <= now).length;
}

export function mayRestart(history: readonly number[], now: number, maxPerHour: number): boolean {
  return restartsInLastHour(history, now) < maxPerHour;
}

/** History trimmed to the last hour (what is worth keeping). */
export function pruneHistory(history: readonly number[], now: number): number[] {
  return history.filter((t) => t > now - HOUR_MS);
}
