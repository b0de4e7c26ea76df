/**
 * Storm control per channel: at most `threshold` alerts in a window; what comes after is held and sent as one
 * summary when the window ends, so a channel gets at most threshold + 1 messages per window however bad it gets.
 * Pure state: the caller owns the clock and the timer.
 */
export interface StormState {
  windowStart: number;
  sent: number;
}

export type StormVerdict = 'send' | 'hold';

export function admit(
  state: StormState | undefined,
  at: number,
  limits: { threshold: number; window: number },
): { state: StormState; verdict: StormVerdict } {
  const s = !state || at - state.windowStart >= limits.window ? { windowStart: at, sent: 0 } : { ...state };
  if (s.sent < limits.threshold) return { state: { ...s, sent: s.sent + 1 }, verdict: 'send' };
  return { state: s, verdict: 'hold' };
}

/** When the current window of `state` ends (the moment to send the summary of what it held). */
export function windowEnd(state: StormState, window: number): number {
  return state.windowStart + window;
}
