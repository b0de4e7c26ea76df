/**
 * `process` check: a supervised process (by its Sentinel name: it must be running) or an external one (by name
 * or command-line regex: at least one must exist). Data carries pid, uptime, CPU % and memory.
 */
import type { CheckResult } from '../../shared/contract';
import { UP_STATES } from '../../shared/states';
import type { CheckSpec } from '../config/schema';
import { checkResult, since } from './result';
import type { CheckContext } from './types';

type ProcessCheck = Extract<CheckSpec, { type: 'process' }>;

export async function run(spec: ProcessCheck, ctx: CheckContext): Promise<CheckResult> {
  const start = performance.now();
  if (spec.process !== undefined) {
    const info = ctx.supervisor?.info(spec.process);
    if (!info)
      return checkResult(ctx, 'process', {
        ok: false,
        latency_ms: since(start),
        error: `process: no supervised process named "${spec.process}"`,
      });
    const data = { pid: info.pid, state: info.state, uptime_ms: info.uptime_ms, cpu: info.cpu, memory: info.memory };
    const ok = UP_STATES.has(info.state) && info.pid !== null;
    return checkResult(ctx, 'process', {
      ok,
      latency_ms: since(start),
      error: ok ? null : `${spec.process} is ${info.state}${info.reason ? ` (${info.reason})` : ''}`,
      data,
    });
  }
  if (spec.match === undefined)
    return checkResult(ctx, 'process', {
      ok: false,
      latency_ms: 0,
      error: 'process check: expected "process" (a supervised name) or "match"',
    });
  const found = await ctx.findProcesses({ name: spec.match, match: spec.match });
  if (found.length === 0)
    return checkResult(ctx, 'process', {
      ok: false,
      latency_ms: since(start),
      error: `no process matches "${spec.match}"`,
      data: { count: 0 },
    });
  const first = found[0]!;
  return checkResult(ctx, 'process', {
    ok: true,
    latency_ms: since(start),
    error: null,
    data: {
      count: found.length,
      pid: first.pid,
      pids: found.map((p) => p.pid),
      uptime_ms: first.uptime_ms,
      cpu: first.cpu,
      memory: first.memory,
    },
  });
}
