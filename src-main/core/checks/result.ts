/**
 * The one shape of a check result. Checks build results with `checkResult`; the runner passes every result
 * through `validateResult`, so a check that returns something malformed becomes a failed result with the reason
 * (and a warning in Sentinel's own log) instead of an exception inside the supervisor.
 */
import { z } from 'zod';
import { CheckResult } from '../../shared/contract';
import type { Logger } from '../util/logger';
import type { CheckContext } from './types';

export const CheckResultShape = CheckResult.extend({
  latency_ms: z.number().nonnegative().nullable(),
  at: z.number().int().nonnegative(),
});

/** What a check decides; identity and time are added from the context. */
export interface CheckOutcome {
  ok: boolean;
  latency_ms: number | null;
  error: string | null;
  data?: Record<string, unknown>;
}

export function checkResult(
  ctx: Pick<CheckContext, 'name' | 'service' | 'upstream' | 'now'>,
  type: string,
  outcome: CheckOutcome,
): CheckResult {
  return {
    name: ctx.name,
    type,
    service: ctx.service,
    upstream: ctx.upstream,
    ok: outcome.ok,
    latency_ms: outcome.latency_ms === null ? null : Math.round(outcome.latency_ms * 10) / 10,
    error: outcome.ok ? null : (outcome.error ?? 'failed'),
    ...(outcome.data !== undefined ? { data: outcome.data } : {}),
    at: ctx.now(),
  };
}

/** A failed result for a check that could not produce its own (threw, timed out, returned garbage). */
export function failedResult(
  ctx: Pick<CheckContext, 'name' | 'service' | 'upstream' | 'now'>,
  type: string,
  error: string,
  latency_ms: number | null = null,
): CheckResult {
  return checkResult(ctx, type, { ok: false, latency_ms, error });
}

export function validateResult(
  raw: unknown,
  ctx: Pick<CheckContext, 'name' | 'service' | 'upstream' | 'now'>,
  type: string,
  logger: Logger,
): CheckResult {
  const parsed = CheckResultShape.safeParse(raw);
  if (parsed.success) return parsed.data;
  const reason = parsed.error.issues.map((i) => `${i.path.join('.') || '(result)'}: ${i.message}`).join('; ');
  logger.warn(`check ${ctx.name} returned a malformed result`, { check: ctx.name, type, reason });
  return failedResult(ctx, type, `malformed check result: ${reason}`);
}

/** Milliseconds since `start` (a performance.now() reading), for latencies. */
export function since(start: number): number {
  return performance.now() - start;
}

/** An error's message for a result, with the code when Node gives one (ECONNREFUSED, ENOTFOUND …). */
export function describeError(err: unknown): string {
  const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const inner = e?.cause && typeof e.cause === 'object' ? e.cause : undefined;
  const code = inner?.code ?? e?.code;
  const message = inner?.message ?? e?.message ?? String(err);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}
