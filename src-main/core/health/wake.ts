/**
 * PURE sleep detection. While a Mac sleeps the monotonic clock stands still but the wall clock runs on, so the
 * gap between the two across one tick is the time slept; event-loop lag moves both and is never mistaken for it.
 */
export interface ClockReading {
  wall: number;
  mono: number;
}

/** The time slept between two readings when it exceeds 2 × the tick interval, else null. */
export function sleptBetween(prev: ClockReading, cur: ClockReading, intervalMs: number): number | null {
  const gap = cur.wall - prev.wall - (cur.mono - prev.mono);
  return gap > 2 * intervalMs ? gap : null;
}
