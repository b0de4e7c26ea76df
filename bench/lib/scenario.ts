/** The shapes a scenario produces and the table the bench prints from them. */
import type { PeerName } from '../peers/peer';
import { fmt, ratio, summarize } from './stats';

/** A target on the Sentinel/peer ratio of medians (or an absolute bound on Sentinel's p99 when peer is absent). */
export interface Target {
  peer?: PeerName;
  /** Sentinel/peer must be ≤ this (lower is better) … */
  maxRatio?: number;
  /** … or ≥ this (higher is better, e.g. lines/s). */
  minRatio?: number;
  /** Absolute bound on Sentinel's p99 in the metric's unit. */
  maxP99?: number;
}

export interface Metric {
  name: string;
  unit: string;
  /** Per peer; `floor` is a reference row (no supervisor's figure: the least any can do), shown without a ratio. */
  samples: Partial<Record<PeerName | 'floor', number[]>>;
  targets?: Target[];
}

export interface ScenarioResult {
  scenario: string;
  metrics: Metric[];
  notes: string[];
}

/** Did Sentinel meet the target? undefined when a side has no samples (peer skipped). */
export function meets(metric: Metric, t: Target): boolean | undefined {
  const s = metric.samples.sentinel;
  if (!s?.length) return undefined;
  if (t.maxP99 !== undefined) return summarize(s).p99 <= t.maxP99;
  const p = t.peer ? metric.samples[t.peer] : undefined;
  if (!p?.length) return undefined;
  const r = ratio(summarize(s).median, summarize(p).median);
  if (r === null) return undefined;
  if (t.maxRatio !== undefined) return r <= t.maxRatio;
  if (t.minRatio !== undefined) return r >= t.minRatio;
  return undefined;
}

export function describeTarget(t: Target): string {
  if (t.maxP99 !== undefined) return `p99 ≤ ${t.maxP99}`;
  if (t.maxRatio !== undefined) return `≤ ${t.maxRatio}× ${t.peer}`;
  return `≥ ${t.minRatio}× ${t.peer}`;
}

/** A Markdown table: one row per metric and peer, with the Sentinel/peer ratio of medians and the target verdicts. */
export function renderResult(r: ScenarioResult): string {
  const out = [
    `### ${r.scenario}`,
    '',
    '| metric | peer | n | median | p90 | p99 | max | Sentinel/peer | target |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const m of r.metrics) {
    const sentinelMedian = m.samples.sentinel?.length ? summarize(m.samples.sentinel).median : undefined;
    for (const [peer, samples] of Object.entries(m.samples) as [PeerName, number[]][]) {
      if (!samples.length) continue;
      const s = summarize(samples);
      const rat =
        peer === 'sentinel' || (peer as string) === 'floor' || sentinelMedian === undefined
          ? null
          : ratio(sentinelMedian, s.median);
      const verdicts = (m.targets ?? [])
        .filter((t) => (t.peer ?? 'sentinel') === peer)
        .map((t) => `${describeTarget(t)}: ${verdictWord(meets(m, t))}`)
        .join('; ');
      out.push(
        `| ${m.name} (${m.unit}) | ${peer} | ${s.n} | ${fmt(s.median)} | ${fmt(s.p90)} | ${fmt(s.p99)} | ${fmt(s.max)} | ${rat === null ? '' : fmt(rat)} | ${verdicts} |`,
      );
    }
  }
  if (r.notes.length) out.push('', ...r.notes.map((n) => `- ${n}`));
  return out.join('\n');
}

function verdictWord(v: boolean | undefined): string {
  return v === undefined ? 'n/a' : v ? 'met' : '**missed**';
}
