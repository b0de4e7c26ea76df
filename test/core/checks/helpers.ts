/** Shared by the check tests: parsed check specs, a context for one run, a logger that remembers warnings. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CheckSchema, type CheckSpec } from '../../../src-main/core/config/schema';
import { findProcesses } from '../../../src-main/core/checks/process-finder';
import type { CheckContext } from '../../../src-main/core/checks/types';
import type { Logger } from '../../../src-main/core/util/logger';

export function spec<T extends CheckSpec['type']>(
  input: { type: T } & Record<string, unknown>,
): Extract<CheckSpec, { type: T }> {
  return CheckSchema.parse(input) as Extract<CheckSpec, { type: T }>;
}

/**
 * A spec the config would refuse (a timeout above its interval, a broken regex) with those values forced in after
 * parsing: the runner must survive what a bug or a hand-built spec could still hand it.
 */
export function unvalidatedSpec<T extends CheckSpec['type']>(
  input: { type: T } & Record<string, unknown>,
  forced: Record<string, unknown>,
): Extract<CheckSpec, { type: T }> {
  return { ...spec(input), ...forced } as Extract<CheckSpec, { type: T }>;
}

export function ctxFor(s: CheckSpec, extra: Partial<CheckContext> = {}): CheckContext {
  return {
    signal: AbortSignal.timeout(s.timeout),
    timeoutMs: s.timeout,
    name: s.name ?? `t:${s.type}`,
    service: 't',
    upstream: false,
    now: Date.now,
    findProcesses,
    ...extra,
  };
}

export interface RecordingLogger extends Logger {
  warnings: { message: string; data?: Record<string, unknown> }[];
}

export function recordingLogger(): RecordingLogger {
  const warnings: RecordingLogger['warnings'] = [];
  const logger: RecordingLogger = {
    warnings,
    error: (message, data) => warnings.push({ message, data }),
    warn: (message, data) => warnings.push({ message, data }),
    info() {},
    debug() {},
    child: () => logger,
  };
  return logger;
}

/** An HTTP server on 127.0.0.1 whose answer the test can change; `hang` leaves requests unanswered. */
export async function httpServer(): Promise<{
  server: Server;
  url: string;
  mode: { status: number; body: string; hang: boolean };
  close: () => Promise<void>;
}> {
  const mode = { status: 200, body: 'ok: healthy', hang: false };
  const server = createServer((req, res) => {
    if (mode.hang) return;
    res.writeHead(mode.status, { 'content-type': 'text/plain' });
    res.end(mode.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    url: `http://127.0.0.1:${port}/health`,
    mode,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
