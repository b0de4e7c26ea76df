/**
 * What to do about a run that fell due while Sentinel was down or the Mac slept. Like launchd, missed runs are
 * coalesced: however many were missed, `catch_up: last` runs once now, `none` skips (counted as skipped). Pure.
 */
import type { ScheduleSpec } from '../config/schema';

export type CatchUpDecision = 'run' | 'skip' | 'none';

/**
 * @param due the fire time that was armed (or persisted before a shutdown); null when nothing was due.
 * @param graceMs how late a timer may fire and still count as on time (event-loop lag, a busy machine).
 */
export function catchUpDecision(
  catchUp: ScheduleSpec['catch_up'],
  due: number | null,
  now: number,
  graceMs: number,
): CatchUpDecision {
  if (due === null || now - due <= graceMs) return 'none';
  return catchUp === 'last' ? 'run' : 'skip';
}
