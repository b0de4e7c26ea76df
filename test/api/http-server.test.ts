import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import WebSocket from 'ws';
import { connect } from 'node:net';
import type { Handlers } from '../../src-main/shared/contract';
import { createDispatcher } from '../../src-main/api/dispatch';
import { startHttpServer, type HttpServer } from '../../src-main/api/http-server';
import { waitFor } from '../helpers/wait';
import { busSubscriber } from './bus';

const TOKEN = 'test-token-0123456789abcdef';
const bus = new EventEmitter();
const calls: unknown[] = [];
// The transport is under test here: a small real handler set behind the real dispatcher.
const handlers = {
  'failures.list': (args) => {
    calls.push(args);
    return { items: [], total: 0 };
  },
  'processes.restart': (t) => ({ affected: 'name' in t ? [t.name] : [] }),
} as Partial<Handlers> as Handlers;

let server: HttpServer;
let base: string;
beforeAll(async () => {
  const staticDir = mkdtempSync(join(tmpdir(), 'sentinel-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Sentinel</title>');
  server = await startHttpServer({
    dispatch: createDispatcher(handlers),
    subscribe: busSubscriber(bus),
    token: TOKEN,
    staticDir,
    metrics: async () => 'sentinel_status 0\n',
  });
  base = server.url.replace(/\/$/, '');
});
afterAll(() => server.close());

const post = (channel: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
  fetch(`${base}/api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('HTTP transport', () => {
  it('serves a request with the token and fills defaults', async () => {
    const r = await post('failures.list', {});
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ ok: true, result: { items: [], total: 0 } });
    expect(calls.at(-1)).toEqual({ limit: 50, offset: 0 });
  });

  it.each([
    ['no token', {}],
    ['wrong token', { authorization: 'Bearer nope' }],
    ['wrong token of the same length', { authorization: `Bearer ${'x'.repeat(TOKEN.length)}` }],
  ])('refuses %s with 401 on /api and /metrics', async (_what, headers) => {
    expect((await post('failures.list', {}, headers as Record<string, string>)).status).toBe(401);
    expect((await fetch(`${base}/metrics`, { headers: headers as Record<string, string> })).status).toBe(401);
  });

  it('serves /metrics with the token', async () => {
    const r = await fetch(`${base}/metrics?token=${TOKEN}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/plain/);
    expect(await r.text()).toBe('sentinel_status 0\n');
  });

  it('names the bad field in a 400', async () => {
    const r = await post('failures.list', { limit: 'x' });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ ok: false, error: { code: 'bad_request', field: 'limit' } });
  });

  it('answers malformed JSON and unknown channels without falling over', async () => {
    expect((await post('failures.list', '{"limit":')).status).toBe(400);
    expect((await post('no.such.channel', {})).status).toBe(404);
    expect((await post('failures.list', {})).status).toBe(200);
  });

  it('refuses a foreign Origin (another page in the browser) with 403', async () => {
    const r = await post('failures.list', {}, { authorization: `Bearer ${TOKEN}`, origin: 'http://evil.example' });
    expect(r.status).toBe(403);
  });

  it('serves the windows with a strict CSP', async () => {
    const r = await fetch(`${base}/`);
    expect(r.status).toBe(200);
    const csp = r.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    // Chromium rejects an IPv6 literal as a source and logs an error on every page load.
    expect(csp).not.toContain('[::1]');
    expect(csp).toContain(`ws://127.0.0.1:${server.port}`);
  });

  it('refuses to listen on a non-loopback address', async () => {
    await expect(
      startHttpServer({
        dispatch: createDispatcher(handlers),
        subscribe: () => () => {},
        token: TOKEN,
        host: '0.0.0.0' as never,
      }),
    ).rejects.toThrow(/loopback/);
  });

  it('survives a burst of random bodies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.anything().map((v) => JSON.stringify(v) ?? 'null'),
        ),
        fc.constantFrom('failures.list', 'processes.restart', 'x'),
        async (body, channel) => {
          const r = await post(channel, body);
          expect([200, 400, 404]).toContain(r.status);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
    expect((await post('failures.list', {})).status).toBe(200);
  });
});

/** 101 when the upgrade was accepted, else the HTTP status of the refusal. */
function handshakeStatus(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => {
    ws.once('unexpected-response', (req, res) => {
      req.destroy();
      resolve(res.statusCode ?? 0);
    });
    ws.once('open', () => (ws.close(), resolve(101)));
  });
}

describe('WebSocket transport', () => {
  const connect = (query: string, headers: Record<string, string> = {}) =>
    new WebSocket(`${base.replace('http', 'ws')}/ws${query}`, { headers });

  it('answers requests and pushes events', async () => {
    const ws = connect(`?token=${TOKEN}`);
    const got: unknown[] = [];
    ws.on('message', (d) => got.push(JSON.parse(String(d))));
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ id: 1, channel: 'processes.restart', input: { name: 'api' } }));
    ws.send(JSON.stringify({ id: 2, channel: 'processes.restart', input: { name: 'a', all: true } }));
    ws.send('not json');
    await waitFor(() => got.length >= 3);
    bus.emit('event', 'status.changed', { status: 'red' });
    await waitFor(() => got.length >= 4);
    expect(got).toContainEqual({ id: 1, ok: true, result: { affected: ['api'] } });
    expect(got).toContainEqual(
      expect.objectContaining({ id: 2, ok: false, error: expect.objectContaining({ code: 'bad_request' }) }),
    );
    expect(got).toContainEqual(expect.objectContaining({ id: null, ok: false }));
    expect(got).toContainEqual({ event: 'status.changed', payload: { status: 'red' } });
    ws.close();
  });

  it.each([
    ['no token', ''],
    ['a wrong token', '?token=wrong'],
  ])('refuses the upgrade with %s', async (_what, q) => {
    const ws = connect(q);
    const status = await handshakeStatus(ws);
    expect(status).toBe(401);
  });

  it('refuses a foreign Origin', async () => {
    const ws = connect(`?token=${TOKEN}`, { origin: 'http://evil.example' });
    const status = await handshakeStatus(ws);
    expect(status).toBe(403);
  });
});

/** POST over a raw socket, writing the whole body at once; resolves with the status line the server sent, or "". */
function rawPost(port: number, path: string, body: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    // Read only once the whole body is written (or refused): a reset from the server would drop an unread answer.
    socket.pause();
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', () => undefined); // EPIPE/ECONNRESET while writing: what arrived before still counts
    socket.on('close', () => resolve(/^HTTP\/1\.1 \d/.exec(Buffer.concat(chunks).toString('latin1'))?.[0] ?? ''));
    socket.write(
      `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nauthorization: Bearer ${TOKEN}\r\n` +
        `content-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n`,
    );
    socket.end(body, () => socket.resume());
    socket.on('error', () => socket.resume());
  });
}

describe('a body over the limit', () => {
  it('is refused with a 4xx that the client can read, though it was still sending (the rest is drained first)', async () => {
    const port = Number(new URL(base).port);
    // Larger than the socket buffers, so the client is still writing when the server answers.
    const body = Buffer.alloc(32 * 1024 * 1024, 0x20);
    for (let i = 0; i < 5; i++)
      expect(await rawPost(port, '/api/failures.list', body), `attempt ${i}`).toBe('HTTP/1.1 4');
  });
});
