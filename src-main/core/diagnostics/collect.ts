/**
 * Collects a platform's diagnostics for one failing service: every step runs at the same time with its own
 * timeout, a slow or missing tool costs only its own section, and the result always comes back (never throws).
 */
import { readFile } from 'node:fs/promises';
import { currentPlatform } from '../../platform/index';
import type { DiagnosticSection, DiagnosticStep, Platform } from '../../platform/types';
import { runCommand } from './run-command';
import { trimMiddle } from './trim';

export interface SectionResult {
  ok: boolean;
  error?: string;
  duration_ms: number;
  /** The parser's structured output (arrays of objects with named fields). */
  data?: unknown;
  /** Raw command output, bounded to RAW_LIMIT characters; kept so a parser bug never hides what the OS said. */
  raw?: string;
  /** The command printed more than the capture limit; data was parsed from the first part only. */
  truncated?: boolean;
}

export type Diagnostics = Partial<Record<DiagnosticSection, SectionResult>>;

export interface CollectOptions {
  service: string;
  pids: number[];
  /** Epoch ms: OS log lines from this moment on. */
  sinceMs: number;
  platform?: Platform;
  /** Per step; default 5 s. */
  stepTimeoutMs?: number;
}

export const DEFAULT_STEP_TIMEOUT_MS = 5_000;
/** LC_ALL=C: the parsers read English headers and decimal points, whatever the user's locale is. */
const PARSER_ENV: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C' };
export const RAW_LIMIT = 16_384;

export async function collectDiagnostics(options: CollectOptions): Promise<Diagnostics> {
  const timeoutMs = options.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
  let steps: DiagnosticStep[];
  try {
    steps = (options.platform ?? currentPlatform()).diagnosticSteps({
      service: options.service,
      pids: options.pids,
      sinceMs: options.sinceMs,
    });
  } catch {
    // Without steps there is nothing to collect; an empty record is still a valid (if unhelpful) answer.
    return {};
  }
  const results = await Promise.all(steps.map((step) => runStep(step, timeoutMs)));
  const out: Diagnostics = {};
  steps.forEach((step, i) => (out[step.section] = results[i]));
  return out;
}

async function runStep(step: DiagnosticStep, timeoutMs: number): Promise<SectionResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const read = await readStep(step, timeoutMs);
  if ('error' in read)
    return {
      ok: false,
      error: read.error,
      duration_ms: elapsed(),
      ...(read.raw ? { raw: trimMiddle(read.raw, RAW_LIMIT) } : {}),
    };
  const raw = trimMiddle(read.text, RAW_LIMIT);
  try {
    return {
      ok: true,
      duration_ms: elapsed(),
      data: step.parse(read.text),
      raw,
      ...(read.truncated ? { truncated: true } : {}),
    };
  } catch (err) {
    return { ok: false, error: `could not parse output: ${(err as Error).message}`, duration_ms: elapsed(), raw };
  }
}

type StepOutput = { text: string; truncated?: boolean } | { error: string; raw?: string };

async function readStep(step: DiagnosticStep, timeoutMs: number): Promise<StepOutput> {
  const { command } = step;
  if (Array.isArray(command)) return runArgv(command, step.okExitCodes ?? [0], timeoutMs);
  if ('file' in command) return readTextFile(command.file, timeoutMs);
  // Several commands for one section: all must succeed; outputs are joined in order, one per line.
  const outputs = await Promise.all(command.commands.map((argv) => runArgv(argv, step.okExitCodes ?? [0], timeoutMs)));
  const failed = outputs.find((o): o is { error: string; raw?: string } => 'error' in o);
  if (failed) return failed;
  const truncated = outputs.some((o) => 'truncated' in o && o.truncated);
  return {
    text: outputs.map((o) => ('text' in o ? o.text.replace(/\n+$/, '') : '')).join('\n'),
    ...(truncated ? { truncated } : {}),
  };
}

async function readTextFile(file: string, timeoutMs: number): Promise<StepOutput> {
  try {
    return { text: await readFile(file, { encoding: 'utf8', signal: AbortSignal.timeout(timeoutMs) }) };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return {
      error:
        e.name === 'AbortError'
          ? `reading ${file} timed out after ${timeoutMs} ms`
          : `cannot read ${file}: ${e.code ?? e.message}`,
    };
  }
}

async function runArgv(argv: string[], okCodes: number[], timeoutMs: number): Promise<StepOutput> {
  const name = argv[0] ?? '';
  const r = await runCommand(argv, { timeoutMs, env: PARSER_ENV });
  if (r.spawnError) return { error: r.spawnError };
  if (r.timedOut) return { error: `${name} timed out after ${timeoutMs} ms`, raw: r.stdout };
  if (r.code === null || !okCodes.includes(r.code)) {
    const why = r.code === null ? `killed by ${r.signal}` : `exited with code ${r.code}`;
    const detail = r.stderr.trim().split('\n').slice(-3).join(' ').slice(0, 500);
    return { error: `${name} ${why}${detail ? `: ${detail}` : ''}`, raw: r.stdout };
  }
  return { text: r.stdout, ...(r.truncated ? { truncated: true } : {}) };
}
