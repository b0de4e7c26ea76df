/**
 * The first contact with a fresh HTTP server, before its Fastify half has loaded: a WebSocket upgrade (which the
 * listening half must hold, not drop), a refused upgrade, and requests racing the load.
 */
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Handlers } from '../../src-main/shared/contract';
import { createDispatcher } from '../../src-main/api/dispatch';
import { startHttpServer, type HttpServer } from '../../src-main/api/http-server';
import { busSubscriber } from './bus';

const TOKEN = 'first-contact-token-0123456789';
const handlers = { 'failures.list': () => ({ items: [], total: 0 }) } as Partial<Handlers> as Handlers;
let server: HttpServer | undefined;
const bus = new EventEmitter();
const start = async () =>
  (server = await startHttpServer({
    dispatch: createDispatcher(handlers),
    subscribe: busSubscriber(bus),
    token: TOKEN,
    metrics: async () => 'sentinel_status 0\n',
  }));
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function open(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

describe('HTTP server, first contact', () => {
  it('holds a WebSocket that arrives first until the app has loaded, then serves it', async () => {
    const { port } = await start();
    const ws = await open(`ws://127.0.0.1:${port}/ws?token=${TOKEN}`);
    const reply = new Promise<unknown>((resolve) => ws.once('message', (d) => resolve(JSON.parse(String(d)))));
    ws.send(JSON.stringify({ id: 1, channel: 'failures.list', input: {} }));
    expect(await reply).toEqual({ id: 1, ok: true, result: { items: [], total: 0 } });
    ws.close();
  });

  it('refuses a first WebSocket without the token', async () => {
    const { port } = await start();
    await expect(open(`ws://127.0.0.1:${port}/ws?token=wrong`)).rejects.toThrow(/401/);
  });

  it('answers requests that race the load, and a WebSocket beside them', async () => {
    const { port } = await start();
    const base = `http://127.0.0.1:${port}`;
    const auth = { authorization: `Bearer ${TOKEN}` };
    const [metrics, denied, ws] = await Promise.all([
      fetch(`${base}/metrics`, { headers: auth }),
      fetch(`${base}/metrics`),
      open(`ws://127.0.0.1:${port}/ws?token=${TOKEN}`),
    ]);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toBe('sentinel_status 0\n');
    expect(denied.status).toBe(401);
    ws.close();
  });

  it('closes cleanly when nothing ever connected (Fastify never loaded)', async () => {
    const s = await start();
    await s.close();
    server = undefined;
    await expect(fetch(`http://127.0.0.1:${s.port}/healthz`)).rejects.toThrow();
  });
});
