/**
 * Decides when a limit was exceeded *continuously* for `for`: a sample under the limit resets the clock, so
 * a short spike never triggers an action. Pure: state in, state and verdict out.
 */
import type { LimitsSpec } from '../config/schema';
import { formatBytes } from '../util/bytes';
import { formatDuration } from '../util/duration';
import type { GroupUsage } from './group-usage';

export type Resource = 'memory' | 'cpu';

export interface LimitState {
  /** Since when each resource has been over its limit (epoch ms), absent when under. */
  over: Partial<Record<Resource, number>>;
}

export interface Breach {
  resource: Resource;
  value: number;
  limit: number;
  forMs: number;
  action: LimitsSpec['action'];
  /** "memory 612MB > 500MB for 30s → restart" */
  reason: string;
}

export const emptyLimitState = (): LimitState => ({ over: {} });

export function formatResource(resource: Resource, v: number): string {
  return resource === 'memory' ? formatBytes(v) : `${Math.round(v * 10) / 10}%`;
}

export function breachReason(b: Omit<Breach, 'reason'>): string {
  return `${b.resource} ${formatResource(b.resource, b.value)} > ${formatResource(b.resource, b.limit)} for ${formatDuration(b.forMs)} → ${b.action}`;
}

/**
 * Feeds one sample. Returns the breach when a resource has been over its limit for at least `limits.for`
 * (then its clock restarts, so a persisting breach acts again only after another full `for`).
 */
export function trackLimits(
  state: LimitState,
  usage: GroupUsage,
  limits: LimitsSpec,
  now: number,
): { state: LimitState; breach: Breach | null } {
  const over = { ...state.over };
  let breach: Breach | null = null;
  for (const resource of ['memory', 'cpu'] as const) {
    const limit = limits[resource];
    if (limit === undefined || usage[resource] <= limit) {
      delete over[resource];
      continue;
    }
    const since = over[resource] ?? now;
    over[resource] = since;
    if (!breach && now - since >= limits.for) {
      const b = { resource, value: usage[resource], limit, forMs: now - since, action: limits.action };
      breach = { ...b, reason: breachReason(b) };
      delete over[resource];
    }
  }
  return { state: { over }, breach };
}
