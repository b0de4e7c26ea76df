/**
 * The headless transport: the same contract as Electron IPC, over HTTP (requests) and one WebSocket (requests and
 * pushed events), plus the built windows and Prometheus /metrics. Loopback only, a token on everything that
 * carries data, and Host/Origin checks so another page in the user's browser (or a DNS-rebinding site) cannot
 * drive the supervisor even though it can reach 127.0.0.1.
 *
 * This half only listens, from the start (windows and scrapers connect whenever they like). Everything that
 * answers — Fastify, its plugins, ws — is http-app.ts, imported on the first request or upgrade: most of the time
 * a headless daemon is talked to over the Unix socket only, and Fastify at rest costs about 20 MB of RSS.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { LOOPBACK_HOSTS, type HttpServerOptions } from './http-options';
import type { HttpApp } from './http-app';

export interface HttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Fastify's own defaults for the server it would have created (keep-alive 72 s, no request timeout). */
const KEEP_ALIVE_MS = 72_000;

export async function startHttpServer(opts: HttpServerOptions): Promise<HttpServer> {
  const host = opts.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.includes(host))
    throw new Error(
      `settings.api.host: expected a loopback address (${LOOPBACK_HOSTS.join(', ')}), got ${JSON.stringify(host)}`,
    );
  const server = createServer();
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.requestTimeout = 0;
  server.setTimeout(0);
  let port = 0;
  let app: HttpApp | undefined;
  let loading: Promise<HttpApp> | undefined;
  let closing = false;

  /** Imports and builds the app once; a failed load is logged and retried by the next request. */
  const load = (): Promise<HttpApp> =>
    (loading ??= import('./http-app')
      .then((m) => m.buildHttpApp(server, port, opts))
      .then((built) => {
        app = built;
        // From now on @fastify/websocket's own upgrade listener answers; hand it what waited meanwhile.
        server.removeListener('upgrade', onUpgrade);
        for (const [req, socket, head] of waiting.splice(0)) server.emit('upgrade', req, socket, head);
        return built;
      })
      .catch((err: unknown) => {
        loading = undefined;
        opts.onError?.('http server failed to load', { error: err instanceof Error ? err.message : String(err) });
        for (const [, socket] of waiting.splice(0)) socket.destroy();
        throw err;
      }));

  const waiting: Array<[IncomingMessage, Duplex, Buffer]> = [];
  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // Node removed its error listener before 'upgrade': a reset while Fastify loads must not become uncaught.
    socket.on('error', () => socket.destroy());
    if (closing) return void socket.destroy();
    waiting.push([req, socket, head]);
    load().catch(() => {});
  }
  server.on('upgrade', onUpgrade);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (app) return app.handle(req, res);
    if (closing) return unavailable(res, 503, 'the server is closing');
    load().then(
      (a) => a.handle(req, res),
      () => unavailable(res, 500, 'the HTTP server failed to load'),
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: opts.port ?? 0 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  const shownHost = host === '::1' ? '[::1]' : host;
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    close: async () => {
      closing = true;
      // The app first (it closes the WebSockets and answers 503 meanwhile), then every connection and the port.
      const loaded = await loading?.catch(() => undefined);
      await loaded?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function unavailable(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
  res.end(JSON.stringify({ ok: false, error: { code: 'internal', message } }));
}
