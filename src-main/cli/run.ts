/**
 * `sentinel run` and headless `npm start`: the host (host/open.ts — the same one the menu-bar app runs) in the
 * foreground until SIGINT/SIGTERM, then closed within the longest stop grace + 2 s.
 */
import type { Host, HostOptions } from '../host/open';
import { openHost } from '../host/open';

export type { Host, HostOptions };

/** Slack on top of the longest stop grace for everything else (transports, subsystems, the store). */
export const SHUTDOWN_SLACK_MS = 2000;

/** The longest stop grace of the running processes: how long an orderly stop may take. */
export function shutdownDeadlineMs(host: Host): number {
  const graces = host.sentinel.config.processes.map((p) => p.stop.timeout);
  return Math.max(0, ...graces) + SHUTDOWN_SLACK_MS;
}

/** Opens the host and prints where it serves and logs (the lines tests and people wait for). */
export async function runDaemon(opts: HostOptions, out: (line: string) => void = () => {}): Promise<Host> {
  const host = await openHost(opts);
  // A stray rejected promise in some subsystem is logged, not fatal: every child would lose its supervisor.
  // (An uncaught exception still ends the process; the next start reconciles what it left.)
  process.on('unhandledRejection', (reason) =>
    host.sentinel.logger.error('unhandled rejection', {
      error: reason instanceof Error ? (reason.stack ?? reason.message) : String(reason),
    }),
  );
  out(`log file: ${host.logFile}`);
  out(`sentinel running (pid ${process.pid}): windows at ${host.windowsUrl}`);
  return host;
}

/**
 * Waits for SIGINT/SIGTERM, then closes the host. Should something not finish in time (a hung diagnostic, a child
 * that ignores SIGKILL in uninterruptible sleep), the process exits anyway at the deadline: a supervisor that
 * says "stopped" and lives on is worse than one that leaves the rest to the next start's reconcile.
 */
export async function untilSignal(host: Host): Promise<void> {
  // Listeners stay: a second Ctrl-C while stopping must not kill us before the children are stopped.
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.on('SIGINT', () => resolve('SIGINT'));
    process.on('SIGTERM', () => resolve('SIGTERM'));
  });
  host.sentinel.logger.info('stopping', { signal });
  const deadline = shutdownDeadlineMs(host);
  const timer = setTimeout(() => {
    host.sentinel.logger.error('shutdown took too long; exiting', { deadlineMs: deadline });
    process.exit(1);
  }, deadline);
  timer.unref();
  await host.close();
  clearTimeout(timer);
}
