/**
 * The windows' WebSocket client (src-renderer/src/lib/transport.ts) against the real HTTP server: request ids,
 * refused requests carrying the contract error, pushed events, and reconnection after the server comes back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import type { Handlers } from '../../src-main/shared/contract';
import { createDispatcher } from '../../src-main/api/dispatch';
import { startHttpServer, type HttpServer } from '../../src-main/api/http-server';
import { WsClient } from '../../src-renderer/src/lib/transport';
import { SentinelError } from '../../src-main/shared/errors';
import { waitFor } from '../helpers/wait';
import { busSubscriber } from './bus';

const TOKEN = 'ws-client-token-0123456789';
const bus = new EventEmitter();
const handlers = {
  'failures.list': (args) => ({ items: [], total: args.limit }),
  'processes.restart': async (t) => {
    // Slow enough that two requests overlap: replies must find their callers by id, not by order.
    if ('name' in t && t.name === 'slow') await new Promise<void>((r) => bus.once('release', r));
    return { affected: 'name' in t ? [t.name] : [] };
  },
} as Partial<Handlers> as Handlers;

function serve(port = 0): Promise<HttpServer> {
  return startHttpServer({
    dispatch: createDispatcher(handlers),
    subscribe: busSubscriber(bus),
    token: TOKEN,
    port,
    staticDir: null,
  });
}

// The server checks Origin against its own; a browser page sends exactly that.
function clientFor(server: HttpServer, extra: Partial<ConstructorParameters<typeof WsClient>[0]> = {}): WsClient {
  const origin = server.url.replace(/\/$/, '');
  class PageSocket extends WebSocket {
    constructor(url: string) {
      super(url, { origin });
    }
  }
  return new WsClient({
    url: `${origin.replace('http', 'ws')}/ws?token=${TOKEN}`,
    WebSocketImpl: PageSocket as unknown as typeof globalThis.WebSocket,
    ...extra,
  });
}

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await x.close();
});

describe('WsClient', () => {
  it('answers overlapping requests by id and rejects a bad one with the field named', async () => {
    const server = await serve();
    const client = clientFor(server);
    open.push(server, client);
    const slow = client.request('processes.restart', { name: 'slow' });
    const fast = await client.request('processes.restart', { name: 'fast' });
    expect(fast).toEqual({ affected: ['fast'] });
    bus.emit('release');
    expect(await slow).toEqual({ affected: ['slow'] });
    const bad = await client.request('failures.list', { limit: 'x' as unknown as number }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(SentinelError);
    expect(bad).toMatchObject({ code: 'bad_request', field: 'limit' });
  });

  it("offers every channel but the menu-bar app's own, which the server refuses naming the channel", async () => {
    const server = await serve();
    const client = clientFor(server);
    open.push(server, client);
    expect(client.offers('processes.list')).toBe(true);
    expect(client.offers('window.open')).toBe(false);
    const refused = await client.request('window.open', { view: 'logs' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'not_found', field: 'channel' });
  });

  it('delivers pushed events to listeners until they unsubscribe', async () => {
    const server = await serve();
    const client = clientFor(server);
    open.push(server, client);
    await client.request('failures.list', {}); // connected
    const got: unknown[] = [];
    const off = client.on('logs.appended', (lines) => got.push(lines));
    bus.emit('event', 'logs.appended', [{ id: 1, process: 'p', stream: 'out', at: 1, line: 'hello' }]);
    await waitFor(() => got.length === 1, { what: 'the pushed event' });
    off();
    bus.emit('event', 'logs.appended', []);
    // A request after the push is answered after it on the same socket: by then the push would have arrived.
    await client.request('failures.list', {});
    expect(got).toHaveLength(1);
  });

  it('reconnects when the server comes back, tells the page, and sends requests made while down', async () => {
    let server = await serve();
    const { port } = server;
    let reconnects = 0;
    let connected = false;
    const client = clientFor(server, { onReconnect: () => reconnects++, onConnectionChange: (up) => (connected = up) });
    open.push(client);
    await client.request('failures.list', {});
    await server.close();
    await waitFor(() => !connected, { what: 'the client to notice the drop' });
    const whileDown = client.request('failures.list', { limit: 7 });
    server = await serve(port);
    open.push(server);
    expect(await whileDown).toEqual({ items: [], total: 7 });
    expect(reconnects).toBe(1);
  });
});
