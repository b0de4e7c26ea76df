/**
 * The host's transports over the one dispatcher: the Unix socket (CLI), HTTP/WebSocket (windows, /metrics) and
 * api.json telling clients where they are. All share one token. Nothing here knows about Electron.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dispatch } from '../api/dispatch';
import type { LoopbackHost } from '../api/http-options';
import { startHttpServer, type HttpServer } from '../api/http-server';
import { startSocketServer, writeApiInfo, type SocketServer } from '../api/socket-server';
import { apiInfoPath, socketPath } from '../core/config/paths';
import type { Logger } from '../core/util/logger';
import type { EventListener, EventName } from '../shared/contract';
import { chooseEndpoint, readEndpoint, writeEndpoint } from './endpoint';

export interface ServeOptions {
  dataDir: string;
  dispatch: Dispatch;
  subscribe(listener: EventListener, events?: readonly EventName[]): () => void;
  /** Prometheus exposition text for /metrics. */
  metrics: () => Promise<string>;
  /** GET /healthz: null when healthy, else one word (Sentinel.liveness). */
  liveness?: () => string | null;
  api: { host: LoopbackHost; port?: number | undefined; token?: string | undefined };
  /** The built windows; default dist/renderer next to this bundle when it exists. null: serve no windows. */
  staticDir?: string | null | undefined;
  logger: Logger;
}

export interface Served {
  socket: string;
  /** http://127.0.0.1:<port>/ */
  url: string;
  /** The windows' address with the token: what a person opens. */
  windowsUrl: string;
  token: string;
  /** Closes the transports (no new requests) and removes api.json; the socket file goes with its server. */
  close(): Promise<void>;
}

export async function serve(opts: ServeOptions): Promise<Served> {
  const { dataDir, logger } = opts;
  const socket = socketPath(dataDir);
  const stored = readEndpoint(dataDir);
  const endpoint = chooseEndpoint(opts.api, stored);
  const onError = (message: string, data?: Record<string, unknown>) => logger.error(message, data);
  const opened: Array<SocketServer | HttpServer> = [];
  const close = async () => {
    // The lock makes api.json ours: no other process writes it while we hold the data dir.
    rmSync(apiInfoPath(dataDir), { force: true });
    for (const t of opened.splice(0).reverse()) await t.close().catch(() => {});
  };
  try {
    opened.push(
      await startSocketServer({
        path: socket,
        token: endpoint.token,
        dispatch: opts.dispatch,
        subscribe: opts.subscribe,
        onError,
      }),
    );
    const http = await listenHttp(opts, endpoint, onError);
    opened.push(http);
    if (!endpoint.fromConfig && (stored?.port !== http.port || stored.token !== endpoint.token))
      writeEndpoint(dataDir, { port: http.port, token: endpoint.token });
    writeApiInfo(apiInfoPath(dataDir), { pid: process.pid, token: endpoint.token, socket, url: http.url });
    return {
      socket,
      url: http.url,
      windowsUrl: `${http.url}?token=${encodeURIComponent(endpoint.token)}`,
      token: endpoint.token,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** The stored port is a wish: when something else took it meanwhile, any free port will do (and is stored). */
async function listenHttp(
  opts: ServeOptions,
  endpoint: { port: number; token: string; fromConfig: boolean },
  onError: (message: string, data?: Record<string, unknown>) => void,
): Promise<HttpServer> {
  const start = (port: number) =>
    startHttpServer({
      dispatch: opts.dispatch,
      subscribe: opts.subscribe,
      token: endpoint.token,
      host: opts.api.host,
      port,
      staticDir: opts.staticDir === undefined ? builtWindows() : opts.staticDir,
      metrics: opts.metrics,
      ...(opts.liveness ? { liveness: opts.liveness } : {}),
      onError,
    });
  try {
    return await start(endpoint.port);
  } catch (err) {
    if (endpoint.fromConfig || endpoint.port === 0 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    opts.logger.warn('the stored HTTP port is taken; using another one', { port: endpoint.port });
    return start(0);
  }
}

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
