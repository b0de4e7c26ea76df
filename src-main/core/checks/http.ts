/**
 * `http` check: status (one or a list) and optionally a body substring, with the request's latency. It speaks
 * node:http(s) rather than fetch: a check every second through undici's fetch cost several times the CPU (Request
 * and Response objects, resource timings, abort-signal bookkeeping) for the same GET. Redirects are not followed
 * (a 3xx is the status judged), as with fetch's `redirect: 'manual'`.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { CheckResult } from '../../shared/contract';
import type { CheckSpec } from '../config/schema';
import { checkResult, describeError, since } from './result';
import type { CheckContext } from './types';

type HttpCheck = Extract<CheckSpec, { type: 'http' }>;

/** One request; resolves with the status and (when asked for) the body as text, rejects on any error or abort. */
function get(spec: HttpCheck, signal: AbortSignal, wantBody: boolean): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(spec.url);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(url, { method: spec.method, headers: spec.headers, signal }, (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      res.on('error', reject);
      // A server that drops the connection mid-body: no 'end' comes, so the check must not wait for one.
      res.on('close', () => {
        if (!res.complete) reject(new Error('the connection closed before the response ended'));
      });
      if (!wantBody) {
        // Drained, not read: the connection goes back to the agent's pool for the next check.
        res.resume();
        res.on('end', () => resolve({ status, body: '' }));
        return;
      }
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

export async function run(spec: HttpCheck, ctx: CheckContext): Promise<CheckResult> {
  const start = performance.now();
  const expected = Array.isArray(spec.expect_status) ? spec.expect_status : [spec.expect_status];
  try {
    const needBody = spec.expect_body !== undefined && spec.method !== 'HEAD';
    const res = await get(spec, ctx.signal, needBody);
    const body = res.body;
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
