/**
 * Runs one diagnostics command without a shell, with a deadline and a cap on captured output. The command runs
 * in its own process group so a timeout kills whatever it started too. Never rejects for the command's sake:
 * failures come back as data.
 */
import { spawn } from 'node:child_process';

export interface CommandOutcome {
  /** Exit code, or null when killed by a signal or never started. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Set when the command could not start (ENOENT: not installed). */
  spawnError?: string;
  /** stdout exceeded maxBytes and the rest was dropped. */
  truncated: boolean;
}

/** Default cap on captured stdout: more than any diagnostics command prints on a sane machine. */
export const MAX_OUTPUT_BYTES = 1 << 20;

export interface RunOptions {
  timeoutMs: number;
  maxBytes?: number;
  /** Environment of the command; default: Sentinel's own. */
  env?: NodeJS.ProcessEnv;
  /** Written to the command's stdin (then closed); stdin is /dev/null without it. */
  input?: string;
  /** Aborting kills the command's process group, as a timeout does. */
  signal?: AbortSignal;
}

export function runCommand(
  argv: string[],
  { timeoutMs, maxBytes = MAX_OUTPUT_BYTES, env = process.env, input, signal }: RunOptions,
): Promise<CommandOutcome> {
  return new Promise((resolve) => {
    const [file, ...args] = argv;
    if (!file) {
      resolve({
        code: null,
        signal: null,
        stdout: '',
        stderr: '',
        timedOut: false,
        spawnError: 'empty command',
        truncated: false,
      });
      return;
    }
    const child = spawn(file, args, {
      shell: false,
      detached: true,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env,
    });
    if (input !== undefined && child.stdin) {
      // A command that exits without reading its stdin must not turn into an EPIPE error here.
      child.stdin.on('error', () => {});
      child.stdin.end(input);
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let truncated = false;
    let timedOut = false;
    let spawnError: string | undefined;
    child.stdout!.on('data', (chunk: Buffer) => {
      const room = maxBytes - outBytes;
      if (chunk.length > room) truncated = true;
      if (room <= 0) return;
      const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
      out.push(kept);
      outBytes += kept.length;
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      // stderr only explains failures; a few KiB is plenty.
      if (errBytes < 16_384) err.push(chunk);
      errBytes += chunk.length;
    });
    const killGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const abort = () => {
      timedOut = true;
      if (child.pid !== undefined) killGroup();
    };
    const timer = setTimeout(abort, timeoutMs);
    signal?.addEventListener('abort', abort, { once: true });
    child.on('error', (e) => {
      spawnError = (e as NodeJS.ErrnoException).code === 'ENOENT' ? `${file}: command not found` : e.message;
    });
    child.on('close', (code, exitSignal) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
      const stdout = Buffer.concat(out).toString('utf8');
      resolve({
        code,
        signal: exitSignal,
        stdout,
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut,
        truncated,
        ...(spawnError ? { spawnError } : {}),
      });
    });
  });
}
