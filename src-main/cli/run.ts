/**
 * `sentinel run` and `npm start` headless: the daemon with its transports — the Unix socket for the CLI and the
 * HTTP/WebSocket server for the windows, both behind one per-run token written to api.json. Refuses to start
 * over a data dir whose socket answers (a second supervisor would run every child twice).
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withApiErrors } from '../api/handlers';
import { createDispatcher } from '../api/dispatch';
import { startHttpServer, type HttpServer } from '../api/http-server';
import { newToken, probeSocket, startSocketServer, writeApiInfo, type SocketServer } from '../api/socket-server';
import { apiInfoPath, socketPath } from '../core/config/paths';
import { createMetrics } from '../core/metrics/prometheus';
import { Sentinel } from '../core/sentinel';
import type { Logger } from '../core/util/logger';

export interface RunDaemonOptions {
  configPath: string | null;
  dataDir: string;
  logger?: Logger;
  /** The built windows; default dist/renderer next to this bundle when it exists. null: serve no windows. */
  staticDir?: string | null;
}

export interface RunningDaemon {
  sentinel: Sentinel;
  /** Where the windows are served (http://127.0.0.1:<port>/). */
  url: string;
  /** The windows' address with the per-run token: what a person opens. */
  windowsUrl: string;
  socket: string;
  close(): Promise<void>;
}

export async function runDaemon(opts: RunDaemonOptions): Promise<RunningDaemon> {
  const socket = socketPath(opts.dataDir);
  if ((await probeSocket(socket)) === 'live') throw new Error(`another sentinel is running (socket ${socket} answers)`);
  const sentinel = await Sentinel.open({
    configPath: opts.configPath,
    dataDir: opts.dataDir,
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
  const log = sentinel.logger.child('api');
  const { api } = sentinel.config.settings;
  const transports: Array<SocketServer | HttpServer> = [];
  const close = async () => {
    rmSync(apiInfoPath(opts.dataDir), { force: true });
    // Transports first (no new requests), then the children and the store.
    for (const t of transports.splice(0).reverse()) await t.close();
    await sentinel.close();
  };
  try {
    await sentinel.start();
    const token = api.token ?? newToken();
    const handlers = withApiErrors(sentinel.handlers);
    const dispatch = createDispatcher(handlers, (channel, err) =>
      log.error('handler failed', { channel, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
    );
    const subscribe = (...a: Parameters<Sentinel['subscribe']>) => sentinel.subscribe(...a);
    const onError = (message: string, data?: Record<string, unknown>) => log.error(message, data);
    const socketServer = await startSocketServer({ path: socket, token, dispatch, subscribe, onError });
    transports.push(socketServer);
    const metrics = createMetrics({
      snapshot: async () => {
        const snapshot = await handlers['status.get']({});
        const failures = await handlers['failures.list']({ limit: 1, offset: 0 });
        return { processes: snapshot.processes, overall: snapshot.overall, failuresTotal: failures.total };
      },
    });
    const http = await startHttpServer({
      dispatch,
      subscribe,
      token,
      host: api.host,
      port: api.port,
      staticDir: opts.staticDir === undefined ? builtWindows() : opts.staticDir,
      metrics: () => metrics.render(),
      onError,
    });
    transports.push(http);
    writeApiInfo(apiInfoPath(opts.dataDir), { pid: process.pid, token, socket, url: http.url });
    let closing: Promise<void> | undefined;
    return {
      sentinel,
      url: http.url,
      windowsUrl: `${http.url}?token=${encodeURIComponent(token)}`,
      socket,
      close: () => (closing ??= close()),
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** dist/renderer beside dist/main (where the bundle runs from), if the windows were built. */
/**
 * dist/renderer, found from this module's place in dist/main — which is dist/main/ itself or, once code splitting
 * moves this module into a shared chunk, dist/main/chunks/.
 */
function builtWindows(): string | null {
  for (const up of ['../renderer', '../../renderer']) {
    const dir = fileURLToPath(new URL(up, import.meta.url));
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  return null;
}
