/** `http` check: status (one or a list) and optionally a body substring, with the request's latency. */
import type { CheckResult } from '../../shared/contract';
import type { CheckSpec } from '../config/schema';
import { checkResult, describeError, since } from './result';
import type { CheckContext } from './types';

type HttpCheck = Extract<CheckSpec, { type: 'http' }>;

export async function run(spec: HttpCheck, ctx: CheckContext): Promise<CheckResult> {
  const start = performance.now();
  const expected = Array.isArray(spec.expect_status) ? spec.expect_status : [spec.expect_status];
  try {
    const res = await fetch(spec.url, {
      method: spec.method,
      headers: spec.headers,
      signal: ctx.signal,
      redirect: 'manual',
    });
    const needBody = spec.expect_body !== undefined && spec.method !== 'HEAD';
    const body = needBody ? await res.text() : (await res.body?.cancel(), '');
    const latency = since(start);
    const data = { status: res.status };
    if (!expected.includes(res.status))
      return checkResult(ctx, 'http', {
        ok: false,
        latency_ms: latency,
        error: `HTTP ${res.status}, expected ${expected.join(' or ')}`,
        data,
      });
    if (needBody && !body.includes(spec.expect_body!)) {
      return checkResult(ctx, 'http', {
        ok: false,
        latency_ms: latency,
        error: `body does not contain ${JSON.stringify(spec.expect_body)}`,
        data,
      });
    }
    return checkResult(ctx, 'http', { ok: true, latency_ms: latency, error: null, data });
  } catch (err) {
    const error = ctx.signal.aborted ? `timed out after ${ctx.timeoutMs} ms` : describeError(err);
    return checkResult(ctx, 'http', { ok: false, latency_ms: since(start), error });
  }
}
