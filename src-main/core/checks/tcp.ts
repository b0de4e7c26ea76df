/** `tcp` check: something accepts connections on host:port. */
import type { CheckResult } from '../../shared/contract';
import type { CheckSpec } from '../config/schema';
import { checkResult, describeError, since } from './result';
import { tcpConnect } from './tcp-connect';
import type { CheckContext } from './types';

type TcpCheck = Extract<CheckSpec, { type: 'tcp' }>;

export async function run(spec: TcpCheck, ctx: CheckContext): Promise<CheckResult> {
  const start = performance.now();
  const data = { host: spec.host, port: spec.port };
  try {
    await tcpConnect(spec.host, spec.port, ctx.signal);
    return checkResult(ctx, 'tcp', { ok: true, latency_ms: since(start), error: null, data });
  } catch (err) {
    const error = ctx.signal.aborted ? `timed out after ${ctx.timeoutMs} ms` : describeError(err);
    return checkResult(ctx, 'tcp', { ok: false, latency_ms: since(start), error, data });
  }
}
