/**
 * Notices when the wall clock moved differently from the monotonic clock: the Mac slept (timers do not run
 * while asleep), or the clock was set. The scheduler then looks for runs that fell due meanwhile.
 */
import { EventEmitter } from 'node:events';

/** Pure: how far the wall clock ran ahead (+) or behind (−) the monotonic clock, when beyond tolerance; else 0. */
export function clockJump(
  prev: { wall: number; mono: number },
  cur: { wall: number; mono: number },
  toleranceMs: number,
): number {
  const drift = cur.wall - prev.wall - (cur.mono - prev.mono);
  return Math.abs(drift) > toleranceMs ? drift : 0;
}

export class ClockJumpDetector extends EventEmitter<{ jump: [driftMs: number] }> {
  private timer: NodeJS.Timeout | undefined;
  private last = { wall: 0, mono: 0 };

  constructor(
    private readonly intervalMs = 5_000,
    private readonly toleranceMs = 3_000,
    private readonly wall: () => number = Date.now,
  ) {
    super();
  }

  start(): void {
    this.last = this.read();
    this.timer = setInterval(() => {
      const cur = this.read();
      const drift = clockJump(this.last, cur, this.toleranceMs);
      this.last = cur;
      if (drift !== 0) this.emit('jump', drift);
    }, this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private read() {
    return { wall: this.wall(), mono: performance.now() };
  }
}
