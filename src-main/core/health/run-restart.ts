/**
 * Runs a service's restart command. Unlike a diagnostics command, a restart command often starts a daemon that
 * inherits its stdout/stderr and keeps them open; waiting for the pipes to close would wait for the daemon to
 * exit. So this resolves when the command itself exits, keeping what it printed until then.
 */
import { spawn } from 'node:child_process';
import type { CommandOutcome } from '../diagnostics/run-command';

export function runRestartCommand(argv: string[], { timeoutMs }: { timeoutMs: number }): Promise<CommandOutcome> {
  return new Promise((resolve) => {
    const [file, ...args] = argv;
    const base = { stdout: '', stderr: '', truncated: false };
    if (!file) return resolve({ ...base, code: null, signal: null, timedOut: false, spawnError: 'empty command' });
    const child = spawn(file, args, { shell: false, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: string[] = [];
    const err: string[] = [];
    child.stdout.setEncoding('utf8').on('data', (d: string) => out.length < 64 && out.push(d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => err.length < 64 && err.push(d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const done = (outcome: Pick<CommandOutcome, 'code' | 'signal'> & { spawnError?: string }) => {
      clearTimeout(timer);
      // Release the pipes a daemon may still hold, so neither side waits on the other.
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({ ...base, ...outcome, stdout: out.join(''), stderr: err.join(''), timedOut });
    };
    child.once('error', (e: NodeJS.ErrnoException) =>
      done({ code: null, signal: null, spawnError: e.code === 'ENOENT' ? `${file}: command not found` : e.message }),
    );
    child.once('exit', (code, signal) => done({ code, signal }));
  });
}
