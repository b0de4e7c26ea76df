/**
 * What an alert is about. Sources (failures, the supervisor, limits, the store, the upstream) raise `AlertEvent`s;
 * routing, quiet hours, storms and channels only ever see this shape. Pure.
 */
import { randomUUID } from 'node:crypto';
import type { AlertFamily } from '../config/alerts-schema';
import { formatDuration } from '../util/duration';

export type AlertKind =
  | 'failure'
  | 'recovered'
  | 'fatal'
  | 'limit'
  | 'store_degraded'
  | 'store_recovered'
  | 'upstream_down'
  | 'upstream_back'
  | 'test'
  /** Several alerts in one message: after a storm, or those held back by quiet hours. */
  | 'summary';

export type Severity = 'info' | 'warning' | 'critical';

export interface AlertEvent {
  /** Stable across retries, so a receiver can drop duplicates (X-Sentinel-Delivery). */
  id: string;
  kind: AlertKind;
  severity: Severity;
  /** The service or process it is about; null for the store, the upstream, tests and summaries. */
  service: string | null;
  title: string;
  message: string;
  at: number;
  failure_id: number | null;
  /** Recovered: how long the episode lasted. */
  time_to_recover_ms: number | null;
  /** Summaries: the alerts they stand for. */
  items?: Array<Pick<AlertEvent, 'kind' | 'service' | 'title' | 'at'>>;
}

const FAMILY: Record<AlertKind, AlertFamily | null> = {
  failure: 'failure',
  recovered: 'recovered',
  fatal: 'fatal',
  limit: 'limit',
  store_degraded: 'store',
  store_recovered: 'store',
  upstream_down: 'upstream',
  upstream_back: 'upstream',
  test: 'test',
  summary: null,
};

/** The family a route or a quiet-hours exception names; null for summaries (they follow their items). */
export function familyOf(kind: AlertKind): AlertFamily | null {
  return FAMILY[kind];
}

const SEVERITY: Record<AlertKind, Severity> = {
  failure: 'warning',
  recovered: 'info',
  fatal: 'critical',
  limit: 'warning',
  store_degraded: 'warning',
  store_recovered: 'info',
  upstream_down: 'warning',
  upstream_back: 'info',
  test: 'info',
  summary: 'warning',
};

export function newAlert(
  a: Pick<AlertEvent, 'kind' | 'title' | 'message' | 'at'> &
    Partial<Omit<AlertEvent, 'kind' | 'title' | 'message' | 'at'>>,
): AlertEvent {
  return {
    id: a.id ?? randomUUID(),
    kind: a.kind,
    severity: a.severity ?? SEVERITY[a.kind],
    service: a.service ?? null,
    title: a.title,
    message: a.message,
    at: a.at,
    failure_id: a.failure_id ?? null,
    time_to_recover_ms: a.time_to_recover_ms ?? null,
    ...(a.items ? { items: a.items } : {}),
  };
}

/** One line for a summary: "02:10:04 failure api: …". */
export function itemLine(i: Pick<AlertEvent, 'kind' | 'service' | 'title' | 'at'>): string {
  return `${new Date(i.at).toISOString().slice(11, 19)} ${i.title}`;
}

/**
 * The summary that stands for `items`: "7 more alerts in 1m" (storm) or "4 alerts held during quiet hours".
 * Its severity is the worst of its items.
 */
export function summaryOf(items: AlertEvent[], why: string, at: number): AlertEvent {
  const rank: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };
  const worst = items.reduce<Severity>((w, i) => (rank[i.severity] > rank[w] ? i.severity : w), 'info');
  const counts = new Map<string, number>();
  for (const i of items) counts.set(i.kind, (counts.get(i.kind) ?? 0) + 1);
  const byKind = [...counts].map(([k, n]) => `${n} ${k.replace('_', ' ')}`).join(', ');
  const shown = items.slice(0, 20).map(itemLine);
  if (items.length > shown.length) shown.push(`… and ${items.length - shown.length} more`);
  return newAlert({
    kind: 'summary',
    severity: worst,
    title: `Sentinel: ${items.length} alert${items.length === 1 ? '' : 's'} ${why}`,
    message: `${byKind}\n${shown.join('\n')}`,
    at,
    items: items.map((i) => ({ kind: i.kind, service: i.service, title: i.title, at: i.at })),
  });
}

export function recoveredText(ms: number | null): string {
  return ms === null ? 'recovered' : `recovered after ${formatDuration(ms)}`;
}
