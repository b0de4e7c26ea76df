/**
 * The Fastify half of the HTTP transport: routes, token, Host/Origin checks, security headers, the built windows,
 * /metrics, /healthz and the WebSocket. http-server.ts imports it on the first request, so a daemon nobody talks
 * to over HTTP never loads Fastify, its plugins or ws (about 20 MB of RSS; docs/benchmarks.md).
 */
import { existsSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { ApiError } from '../shared/contract';
import { drainBody } from './drain-body';
import { contentSecurityPolicy, LOOPBACK_HOSTS, type HttpServerOptions } from './http-options';
import { tokenMatches } from './token';

export interface HttpApp {
  /** Routes one request (Fastify's own handler). */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Closes the WebSockets and answers 503 to what still arrives; the listening server is the caller's. */
  close(): Promise<void>;
}

const STATUS: Record<ApiError['code'], number> = {
  bad_request: 400,
  unauthorized: 401,
  not_found: 404,
  conflict: 409,
  internal: 500,
};
/** Above this much unsent data a slow window misses live events (it re-queries on reconnect) instead of growing our memory. */
const MAX_WS_BUFFER = 8 * 1024 * 1024;

const WsRequest = z.strictObject({
  id: z.union([z.string().max(64), z.number().int()]),
  channel: z.string().max(64),
  input: z.unknown().optional(),
});

function bearer(req: FastifyRequest): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const q = (req.query as Record<string, unknown> | undefined)?.token;
  return typeof q === 'string' ? q : undefined;
}

function fail(reply: FastifyReply, code: ApiError['code'], message: string, field?: string) {
  return reply.code(STATUS[code]).send({ ok: false, error: { code, message, ...(field ? { field } : {}) } });
}

/**
 * Builds the app on `server`, which already listens on `port`: Fastify gets it through serverFactory (it adds its
 * clientError listener, @fastify/websocket its upgrade listener) but never listens or closes it itself.
 */
export async function buildHttpApp(server: Server, port: number, opts: HttpServerOptions): Promise<HttpApp> {
  const app = Fastify({
    logger: false,
    bodyLimit: 2 * 1024 * 1024,
    return503OnClosing: true,
    serverFactory: () => server,
  });
  const allowedHosts = new Set(LOOPBACK_HOSTS.map((h) => `${h === '::1' ? '[::1]' : h}:${port}`));
  const allowedOrigins = new Set([...allowedHosts].map((h) => `http://${h}`));
  const originAllowed = (origin: string | undefined) => origin === undefined || allowedOrigins.has(origin);
  const csp = contentSecurityPolicy(port);

  // Every response: no sniffing, no framing, no referrer; pages get the CSP.
  // The WebSocket handshake is checked by `verifyClient` below: a refusal answered from a hook would leave the
  // upgraded socket open (and the server unable to close).
  app.addHook('onRequest', async (req, reply) => {
    if (req.url.startsWith('/ws')) return;
    reply
      .header('X-Content-Type-Options', 'nosniff')
      .header('X-Frame-Options', 'DENY')
      .header('Referrer-Policy', 'no-referrer');
    reply.header('Content-Security-Policy', csp);
    if (!allowedHosts.has(String(req.headers.host)))
      return fail(reply, 'unauthorized', 'Host not allowed: the API answers only to 127.0.0.1/localhost');
    if (!originAllowed(req.headers.origin)) {
      return reply
        .code(403)
        .send({ ok: false, error: { code: 'unauthorized', message: `Origin ${req.headers.origin} not allowed` } });
    }
    const needsToken = req.url.startsWith('/api/') || req.url.startsWith('/metrics');
    if (needsToken && !tokenMatches(bearer(req), opts.token))
      return fail(reply, 'unauthorized', 'missing or wrong token');
  });

  app.setErrorHandler(async (err: Error & { statusCode?: number }, req, reply) => {
    const status = err.statusCode ?? 500;
    // Refused before the body was read: take the rest first, so the client reads the 413 instead of a reset.
    if (status === 413) await drainBody(req.raw);
    if (status >= 500) opts.onError?.('http request failed', { error: err.message });
    return fail(
      reply,
      status === 413 ? 'bad_request' : status < 500 ? 'bad_request' : 'internal',
      status === 413 ? 'request body too large' : err.message,
    );
  });

  app.post<{ Params: { channel: string } }>('/api/:channel', async (req, reply) => {
    const r = await opts.dispatch(req.params.channel, req.body ?? undefined);
    return r.ok ? reply.send(r) : reply.code(STATUS[r.error.code]).send(r);
  });

  // Only "ok" or one word: nothing about processes, services or paths leaks to a caller without the token.
  app.get('/healthz', async (_req, reply) => {
    if (!opts.liveness) return fail(reply, 'not_found', 'no liveness here');
    let reason: string | null;
    try {
      reason = opts.liveness();
    } catch {
      reason = 'error';
    }
    return reply
      .code(reason === null ? 200 : 503)
      .header('cache-control', 'no-store')
      .type('text/plain; charset=utf-8')
      .send(reason === null ? 'ok\n' : `${/^[a-z]+$/.test(reason) ? reason : 'error'}\n`);
  });

  app.get('/metrics', async (_req, reply) => {
    if (!opts.metrics) return fail(reply, 'not_found', 'metrics are not enabled');
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(await opts.metrics());
  });

  await app.register(fastifyWebsocket, {
    options: {
      maxPayload: 2 * 1024 * 1024,
      verifyClient: ({ req }, done) => {
        if (!allowedHosts.has(String(req.headers.host)) || !originAllowed(req.headers.origin))
          return done(false, 403, 'Forbidden');
        const token = new URL(req.url ?? '/', 'http://localhost').searchParams.get('token') ?? undefined;
        return tokenMatches(token, opts.token) ? done(true) : done(false, 401, 'Unauthorized');
      },
    },
  });
  app.get('/ws', { websocket: true }, (socket: WebSocket) => serveSocket(socket, opts));

  if (opts.staticDir && existsSync(opts.staticDir)) {
    await app.register(fastifyStatic, { root: opts.staticDir, index: 'index.html' });
  }
  await app.ready();
  return { handle: (req, res) => app.routing(req, res), close: () => app.close() };
}

/** One window's socket: requests in, replies and every pushed event out. */
function serveSocket(socket: WebSocket, opts: HttpServerOptions): void {
  const send = (msg: unknown) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(msg));
  };
  const unsubscribe = opts.subscribe((event, payload) => {
    if (socket.bufferedAmount > MAX_WS_BUFFER) return;
    send({ event, payload });
  });
  socket.on('close', unsubscribe);
  socket.on('error', unsubscribe);
  // dispatch never rejects (a failing handler is an error reply), so the promise is safe to leave.
  socket.on('message', (data) => void answer(data));
  async function answer(data: WebSocket.RawData): Promise<void> {
    let parsed: z.infer<typeof WsRequest>;
    try {
      const r = WsRequest.safeParse(JSON.parse(String(data)));
      if (!r.success)
        throw new Error(r.error.issues.map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`).join('; '));
      parsed = r.data;
    } catch (err) {
      return send({
        id: null,
        ok: false,
        error: { code: 'bad_request', message: `malformed message: ${(err as Error).message}` },
      });
    }
    const reply = await opts.dispatch(parsed.channel, parsed.input);
    send({ id: parsed.id, ...reply });
  }
}
