/** Pure statistics over samples; percentiles use the nearest-rank method so every reported value was measured. */

export interface Summary {
  n: number;
  median: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile (p in 0..100) of samples; throws on an empty list so a scenario that measured nothing is loud. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('percentile: no samples');
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile: expected p in 0..100, got ${p}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export function summarize(samples: readonly number[]): Summary {
  return {
    n: samples.length,
    median: percentile(samples, 50),
    p90: percentile(samples, 90),
    p99: percentile(samples, 99),
    max: percentile(samples, 100),
  };
}

/** Sentinel/peer; null when the peer value is 0 or missing (a ratio against nothing is not a figure). */
export function ratio(sentinel: number, peer: number | undefined): number | null {
  if (peer === undefined || peer === 0 || !Number.isFinite(peer)) return null;
  return sentinel / peer;
}

/** Compact number for tables: 3 significant digits, no exponent for the sizes we report. */
export function fmt(v: number | null | undefined, unit = ''): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const abs = Math.abs(v);
  const s = abs >= 100 ? v.toFixed(0) : abs >= 10 ? v.toFixed(1) : abs >= 1 ? v.toFixed(2) : v.toFixed(3);
  return unit ? `${s} ${unit}` : s;
}
