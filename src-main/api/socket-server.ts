/**
 * The CLI's transport: newline-delimited JSON over `<dataDir>/sentinel.sock` (mode 0600), every request carrying
 * the per-run token from api.json. Requests go through the same dispatcher as HTTP and IPC; `subscribe` turns a
 * connection into an event stream (`sentinel logs -f`).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { ApiError, EventListener, EventName } from '../shared/contract';
import type { Dispatch } from './dispatch';
import { badRequest } from './dispatch';
import { tokenMatches } from './token';
import { ApiInfo, SocketRequest, type SocketReply } from './socket-messages';
import { lineSplitter } from './wire';

export interface SocketServerOptions {
  path: string;
  token: string;
  dispatch: Dispatch;
  /** `events`: what the listener wants (a daemon may skip work nobody asked for, such as CPU sampling). */
  subscribe(listener: EventListener, events?: readonly EventName[]): () => void;
  onError?: (message: string, data: Record<string, unknown>) => void;
}

export interface SocketServer {
  path: string;
  close(): Promise<void>;
}

/** A token for one run of the daemon: 32 random bytes, hex. */
export function newToken(): string {
  return randomBytes(32).toString('hex');
}

/** Writes api.json with mode 0600 (created so, never world-readable for an instant). */
export function writeApiInfo(file: string, info: ApiInfo): void {
  rmSync(file, { force: true });
  writeFileSync(file, JSON.stringify(info), { mode: 0o600, flag: 'wx' });
}

export async function startSocketServer(opts: SocketServerOptions): Promise<SocketServer> {
  await removeStaleSocket(opts.path);
  const connections = new Set<Socket>();
  const server = createServer((socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    serveConnection(socket, opts);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  chmodSync(opts.path, 0o600);
  return {
    path: opts.path,
    close: () => closeServer(server, connections, opts.path),
  };
}

function serveConnection(socket: Socket, opts: SocketServerOptions): void {
  const unsubscribers: Array<() => void> = [];
  const send = (reply: SocketReply) => {
    if (!socket.destroyed && socket.writable) socket.write(`${JSON.stringify(reply)}\n`);
  };
  const fail = (id: string | number | null, error: ApiError) => send({ id, ok: false, error });

  socket.on(
    'data',
    lineSplitter(
      (line) => void handleLine(line),
      () => {
        fail(null, { code: 'bad_request', message: 'message too long' });
        socket.end();
      },
    ),
  );
  socket.on('error', () => socket.destroy());
  socket.on('close', () => unsubscribers.splice(0).forEach((u) => u()));

  async function handleLine(line: string): Promise<void> {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      return fail(null, { code: 'bad_request', message: 'expected one JSON object per line' });
    }
    const parsed = SocketRequest.safeParse(json);
    if (!parsed.success) return fail(idOf(json), badRequest(parsed.error));
    const msg = parsed.data;
    if (!tokenMatches(msg.token, opts.token))
      return fail(msg.id, { code: 'unauthorized', message: 'wrong token (see api.json in the data dir)' });
    if ('subscribe' in msg) {
      const wanted = new Set(msg.subscribe);
      unsubscribers.push(
        opts.subscribe((event, payload) => wanted.has(event) && send({ event, payload }), [...wanted]),
      );
      return send({ id: msg.id, ok: true, result: { subscribed: [...wanted] } });
    }
    try {
      const result = await opts.dispatch(msg.channel, msg.input);
      send(
        result.ok ? { id: msg.id, ok: true, result: result.result } : { id: msg.id, ok: false, error: result.error },
      );
    } catch (err) {
      // dispatch already turns handler errors into replies; this is a bug in the transport itself.
      opts.onError?.('socket request failed', { channel: msg.channel, error: (err as Error).message });
      fail(msg.id, { code: 'internal', message: (err as Error).message });
    }
  }
}

function idOf(json: unknown): string | number | null {
  const id = typeof json === 'object' && json !== null ? (json as { id?: unknown }).id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

/**
 * A socket file left by a crashed daemon refuses connections: remove it. One that answers belongs to a running
 * daemon, and starting a second supervisor over the same data dir would run every child twice.
 */
export async function removeStaleSocket(path: string): Promise<void> {
  const state = await probeSocket(path);
  if (state === 'live') throw new Error(`another sentinel is running (socket ${path} answers)`);
  if (state === 'stale') rmSync(path, { force: true });
}

export function probeSocket(path: string): Promise<'absent' | 'stale' | 'live'> {
  return new Promise((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve('live');
    });
    probe.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ENOENT' ? 'absent' : 'stale'));
  });
}

async function closeServer(server: Server, connections: Set<Socket>, path: string): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const c of connections) c.destroy();
  await closed;
  rmSync(path, { force: true });
}
