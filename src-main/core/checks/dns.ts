/** `dns` check: the name resolves (record type configurable), optionally against a given server. */
import { Resolver } from 'node:dns/promises';
import type { CheckResult } from '../../shared/contract';
import type { CheckSpec } from '../config/schema';
import { checkResult, describeError, since } from './result';
import type { CheckContext } from './types';

type DnsCheck = Extract<CheckSpec, { type: 'dns' }>;

export async function run(spec: DnsCheck, ctx: CheckContext): Promise<CheckResult> {
  const start = performance.now();
  // c-ares has its own timeout and retries; the runner's deadline still bounds the whole check.
  const resolver = new Resolver({ timeout: Math.max(1, ctx.timeoutMs), tries: 1 });
  const onAbort = () => resolver.cancel();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  try {
    if (spec.server) resolver.setServers([spec.server]);
    const answers: unknown = await resolver.resolve(spec.hostname, spec.record);
    return checkResult(ctx, 'dns', {
      ok: true,
      latency_ms: since(start),
      error: null,
      data: { record: spec.record, answers: Array.isArray(answers) ? answers.slice(0, 10) : answers },
    });
  } catch (err) {
    const error = ctx.signal.aborted
      ? `timed out after ${ctx.timeoutMs} ms`
      : `${spec.hostname} (${spec.record}): ${describeError(err)}`;
    return checkResult(ctx, 'dns', {
      ok: false,
      latency_ms: since(start),
      error,
      data: { record: spec.record, server: spec.server ?? null },
    });
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
  }
}
