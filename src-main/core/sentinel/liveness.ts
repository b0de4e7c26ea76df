/**
 * Is this supervisor alive and well, for GET /healthz (Uptime Kuma, a blackbox exporter)? null when it is, else
 * one word: `starting` (not supervising yet), `stopping`, `store` (the store refuses writes or cannot be read),
 * `stalled` (the health loop has not ticked for several periods). Pure: the facts come in as arguments.
 */
export interface LivenessFacts {
  phase: 'opened' | 'running' | 'closing';
  storeError: string | null;
  /** Reads the store; throws when it cannot. */
  probeStore: () => void;
  lastTickAt: number;
  tickPeriod: number;
  now: number;
}

/** Ticks late by more than this many periods (plus a second of slack) mean the loop is stuck. */
const STALL_PERIODS = 3;

export type LivenessReason = 'starting' | 'stopping' | 'store' | 'stalled';

export function liveness(f: LivenessFacts): LivenessReason | null {
  if (f.phase === 'closing') return 'stopping';
  if (f.phase === 'opened') return 'starting';
  if (f.storeError !== null) return 'store';
  try {
    f.probeStore();
  } catch {
    return 'store';
  }
  if (f.now - f.lastTickAt > STALL_PERIODS * f.tickPeriod + 1000) return 'stalled';
  return null;
}
