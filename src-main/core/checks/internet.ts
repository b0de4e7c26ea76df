/**
 * `internet` check: reachable when any one of several targets answers. All targets are tried at once and the
 * first answer wins (the others are cancelled). A target with a port is always a TCP connect; a bare host is
 * pinged when the method allows and a `ping` exists (unprivileged ICMP works on macOS and most Linux), else
 * connected to on port 443.
 */
import type { CheckResult } from '../../shared/contract';
import type { CheckSpec } from '../config/schema';
import { runCommand } from '../diagnostics/run-command';
import { findExecutable } from './find-executable';
import { checkResult, describeError, since } from './result';
import { parseTarget, tcpConnect } from './tcp-connect';
import type { CheckContext } from './types';

type InternetCheck = Extract<CheckSpec, { type: 'internet' }>;
export type Probe = { kind: 'ping'; host: string } | { kind: 'tcp'; host: string; port: number };

/** Pure: how each target is probed. */
export function planProbes(targets: string[], method: InternetCheck['method'], pingAvailable: boolean): Probe[] {
  return targets.map((t) => {
    const hasPort = /:\d+$/.test(t) && !/^[^[]*:.*:/.test(t);
    const { host, port } = parseTarget(t, 443);
    const ping = method === 'ping' || (method === 'auto' && !hasPort && pingAvailable);
    return ping ? { kind: 'ping', host } : { kind: 'tcp', host, port };
  });
}

/** `ping -W` counts seconds on Linux and milliseconds on macOS. */
export function pingArgv(host: string, timeoutMs: number, platform: NodeJS.Platform = process.platform): string[] {
  const wait =
    platform === 'darwin' ? String(Math.max(1, timeoutMs)) : String(Math.max(1, Math.ceil(timeoutMs / 1000)));
  return ['ping', '-c', '1', '-W', wait, host];
}

async function probe(p: Probe, ctx: CheckContext, signal: AbortSignal): Promise<string> {
  if (p.kind === 'tcp') {
    await tcpConnect(p.host, p.port, signal);
    return `${p.host}:${p.port}`;
  }
  const r = await runCommand(pingArgv(p.host, ctx.timeoutMs), { timeoutMs: ctx.timeoutMs, maxBytes: 8192 });
  if (r.spawnError) throw new Error(r.spawnError);
  if (r.code !== 0) throw new Error(`ping ${p.host}: ${r.timedOut ? 'timed out' : `exit ${r.code}`}`);
  return p.host;
}

export async function run(spec: InternetCheck, ctx: CheckContext): Promise<CheckResult> {
  const start = performance.now();
  const probes = planProbes(spec.targets, spec.method, findExecutable('ping', ctx.path) !== null);
  const cancel = new AbortController();
  const signal = AbortSignal.any([ctx.signal, cancel.signal]);
  try {
    const answered = await Promise.any(probes.map((p) => probe(p, ctx, signal)));
    return checkResult(ctx, 'internet', {
      ok: true,
      latency_ms: since(start),
      error: null,
      data: { answered, method: probes.find((p) => answered.startsWith(p.host))?.kind ?? null },
    });
  } catch (err) {
    const errors = err instanceof AggregateError ? err.errors.map(describeError) : [describeError(err)];
    const error = ctx.signal.aborted
      ? `no target answered within ${ctx.timeoutMs} ms`
      : `no target answered: ${errors.join('; ')}`;
    return checkResult(ctx, 'internet', {
      ok: false,
      latency_ms: since(start),
      error,
      data: { targets: spec.targets },
    });
  } finally {
    cancel.abort();
  }
}
