/**
 * `netbird` check: runs `netbird status --json` when the CLI is on PATH. Not installed is not a failure of the
 * check's machinery: it passes with data `{installed: false}` and the assessor shows the service as not installed.
 */
import type { CheckResult } from '../../shared/contract';
import type { CheckSpec } from '../config/schema';
import { runCommand } from '../diagnostics/run-command';
import { findExecutable } from './find-executable';
import { judgeNetbird, parseNetbirdStatus } from './netbird-status';
import { checkResult, since } from './result';
import type { CheckContext } from './types';

type NetbirdCheck = Extract<CheckSpec, { type: 'netbird' }>;

export async function run(spec: NetbirdCheck, ctx: CheckContext): Promise<CheckResult> {
  const start = performance.now();
  const bin = findExecutable('netbird', ctx.path);
  if (bin === null)
    return checkResult(ctx, 'netbird', { ok: true, latency_ms: since(start), error: null, data: { installed: false } });
  const r = await runCommand([bin, 'status', '--json'], { timeoutMs: ctx.timeoutMs, maxBytes: 4 << 20 });
  const latency = since(start);
  if (r.timedOut)
    return checkResult(ctx, 'netbird', {
      ok: false,
      latency_ms: latency,
      error: `netbird status timed out after ${ctx.timeoutMs} ms`,
      data: { installed: true },
    });
  if (r.spawnError || r.code !== 0) {
    // The CLI exits non-zero when its daemon is not running: that is the service being down.
    const why = r.spawnError ?? (r.stderr.trim().split('\n').pop() || `exit code ${r.code}`);
    return checkResult(ctx, 'netbird', {
      ok: false,
      latency_ms: latency,
      error: `netbird status failed: ${why.slice(0, 300)}`,
      data: { installed: true, daemon: false },
    });
  }
  try {
    const summary = parseNetbirdStatus(r.stdout);
    const problem = judgeNetbird(summary, spec.min_peers_connected);
    return checkResult(ctx, 'netbird', {
      ok: problem === null,
      latency_ms: latency,
      error: problem,
      data: { ...summary },
    });
  } catch (err) {
    return checkResult(ctx, 'netbird', {
      ok: false,
      latency_ms: latency,
      error: (err as Error).message,
      data: { installed: true },
    });
  }
}
