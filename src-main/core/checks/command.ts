/**
 * `command` check: exit code 0 passes. With `json: true` stdout must be JSON, and `expect` names a dotted path
 * that must be truthy. Spawned without a shell unless the config says `shell: true`; the process group is
 * killed at the check's timeout.
 */
import type { CheckResult } from '../../shared/contract';
import type { CheckSpec } from '../config/schema';
import { runCommand } from '../diagnostics/run-command';
import { getPath } from './json-path';
import { checkResult, since } from './result';
import type { CheckContext } from './types';

type CommandCheck = Extract<CheckSpec, { type: 'command' }>;

/** argv for the check; with shell: true the command and its args are one /bin/sh script. */
export function commandArgv(spec: Pick<CommandCheck, 'command' | 'args' | 'shell'>): string[] {
  return spec.shell ? ['/bin/sh', '-c', [spec.command, ...spec.args].join(' ')] : [spec.command, ...spec.args];
}

/** Pure: judges a JSON output against `expect`. */
export function judgeJson(
  stdout: string,
  expect: string | undefined,
): { ok: boolean; error: string | null; value?: unknown } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch (err) {
    return { ok: false, error: `output is not valid JSON: ${(err as Error).message}` };
  }
  if (expect === undefined) return { ok: true, error: null };
  const value = getPath(parsed, expect);
  if (value === undefined) return { ok: false, error: `output has no "${expect}"` };
  return value
    ? { ok: true, error: null, value }
    : { ok: false, error: `"${expect}" is ${JSON.stringify(value)}, expected a truthy value`, value };
}

export async function run(spec: CommandCheck, ctx: CheckContext): Promise<CheckResult> {
  const start = performance.now();
  const r = await runCommand(commandArgv(spec), { timeoutMs: ctx.timeoutMs, maxBytes: 1 << 20 });
  const latency = since(start);
  const tail = r.stderr.trim().split('\n').slice(-2).join(' ').slice(0, 300);
  if (r.spawnError) return checkResult(ctx, 'command', { ok: false, latency_ms: latency, error: r.spawnError });
  if (r.timedOut)
    return checkResult(ctx, 'command', {
      ok: false,
      latency_ms: latency,
      error: `timed out after ${ctx.timeoutMs} ms`,
    });
  const data: Record<string, unknown> = { exit_code: r.code };
  if (r.code !== 0) {
    const why = r.code === null ? `killed by ${r.signal}` : `exited with code ${r.code}`;
    return checkResult(ctx, 'command', { ok: false, latency_ms: latency, error: tail ? `${why}: ${tail}` : why, data });
  }
  if (!spec.json) return checkResult(ctx, 'command', { ok: true, latency_ms: latency, error: null, data });
  const judged = judgeJson(r.stdout, spec.expect);
  if (judged.value !== undefined) data.value = judged.value;
  return checkResult(ctx, 'command', { ok: judged.ok, latency_ms: latency, error: judged.error, data });
}
