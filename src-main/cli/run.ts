/**
 * `sentinel run` and `npm start` headless: the daemon with its transports. Refuses to start over a data dir whose
 * socket answers (a second supervisor would run every child twice).
 */
import { rmSync } from 'node:fs';
import { withApiErrors } from '../api/handlers';
import { createDispatcher } from '../api/dispatch';
import { newToken, probeSocket, startSocketServer, writeApiInfo, type SocketServer } from '../api/socket-server';
import { apiInfoPath, socketPath } from '../core/config/paths';
import { Sentinel } from '../core/sentinel';
import type { Logger } from '../core/util/logger';

export interface RunDaemonOptions {
  configPath: string | null;
  dataDir: string;
  logger?: Logger;
}

export interface RunningDaemon {
  sentinel: Sentinel;
  /** The HTTP URL of the windows, null while no HTTP server is part of the build. */
  url: string | null;
  socket: string;
  close(): Promise<void>;
}

export async function runDaemon(opts: RunDaemonOptions): Promise<RunningDaemon> {
  const socket = socketPath(opts.dataDir);
  if ((await probeSocket(socket)) === 'live') throw new Error(`another sentinel is running (socket ${socket} answers)`);
  const sentinel = await Sentinel.open({ configPath: opts.configPath, dataDir: opts.dataDir, ...(opts.logger ? { logger: opts.logger } : {}) });
  const log = (opts.logger ?? sentinel.logger).child('api');
  let server: SocketServer | undefined;
  try {
    await sentinel.start();
    const token = newToken();
    const dispatch = createDispatcher(withApiErrors(sentinel.handlers), (channel, err) =>
      log.error('handler failed', { channel, error: err instanceof Error ? err.stack ?? err.message : String(err) }),
    );
    server = await startSocketServer({ path: socket, token, dispatch, subscribe: (l) => sentinel.subscribe(l), onError: (m, d) => log.error(m, d) });
    const url: string | null = null;
    writeApiInfo(apiInfoPath(opts.dataDir), { pid: process.pid, token, socket, url });
    let closing: Promise<void> | undefined;
    return {
      sentinel,
      url,
      socket,
      close: () => (closing ??= shutdown(sentinel, server!, opts.dataDir)),
    };
  } catch (err) {
    await server?.close();
    await sentinel.close();
    throw err;
  }
}

/** Transports first (no new requests), then the children and the store. */
async function shutdown(sentinel: Sentinel, server: SocketServer, dataDir: string): Promise<void> {
  rmSync(apiInfoPath(dataDir), { force: true });
  await server.close();
  await sentinel.close();
}
