/**
 * The zod-free client end of the socket wire (both clients use it): the hand check of an envelope as a table, and
 * the request/reply matching over a real Unix socket whose other end sends scripted lines.
 */
import { once } from 'node:events';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { envelopeOf, lineSplitter, MAX_LINE_BYTES, WireClient } from '../../src-main/api/wire';
import { SentinelError, WIRE_ERROR } from '../../src-main/shared/errors';
import { tempDir } from '../helpers/tmp';

describe('envelopeOf', () => {
  it.each([
    ['a result', { id: 1, ok: true, result: { a: 1 } }, { id: 1, outcome: { ok: true, result: { a: 1 } } }],
    ['a null result', { id: 2, ok: true, result: null }, { id: 2, outcome: { ok: true, result: null } }],
    [
      'a refusal',
      { id: 3, ok: false, error: { code: 'not_found', message: 'no' } },
      { id: 3, outcome: { ok: false, error: { code: 'not_found', message: 'no' } } },
    ],
    ['an event', { event: 'logs', payload: [1] }, { event: 'logs', payload: [1] }],
    ['ok without result', { id: 1, ok: true }, undefined],
    ['a refusal without message', { id: 1, ok: false, error: { code: 'x' } }, undefined],
    ['an event name that is no string', { event: 7, payload: null }, undefined],
    ['an array', [1, 2], undefined],
    ['null', null, undefined],
    ['a string', 'ok', undefined],
  ])('%s', (_what, json, want) => expect(envelopeOf(json)).toEqual(want));
});

describe('lineSplitter', () => {
  it('hands on whole lines, skips blank ones, and reports an overlong line once', () => {
    const lines: string[] = [];
    let tooLong = 0;
    const feed = lineSplitter(
      (l) => lines.push(l),
      () => tooLong++,
    );
    feed('{"a":1}\n\n{"b"');
    feed(':2}\n');
    expect(lines).toEqual(['{"a":1}', '{"b":2}']);
    feed('x'.repeat(MAX_LINE_BYTES + 1));
    feed('more\n');
    expect(tooLong).toBe(1);
    expect(lines).toHaveLength(2);
  });
});

describe('WireClient', () => {
  const open: { server: Server; cleanup(): void; sockets: Socket[] }[] = [];
  afterEach(() => {
    for (const o of open.splice(0)) {
      for (const s of o.sockets) s.destroy();
      o.server.close();
      o.cleanup();
    }
  });

  /** A server that calls `answer` with each request line it reads and the socket to write replies on. */
  async function pair(answer: (req: { id: number } & Record<string, unknown>, sock: Socket) => void) {
    const t = tempDir();
    const path = join(t.dir, 'wire.sock');
    const sockets: Socket[] = [];
    const server = createServer((sock) => {
      sockets.push(sock);
      sock.on(
        'data',
        lineSplitter(
          (line) => answer(JSON.parse(line) as { id: number }, sock),
          () => sock.destroy(),
        ),
      );
    });
    open.push({ server, cleanup: t.cleanup, sockets });
    server.listen(path);
    await once(server, 'listening');
    const socket = connect(path);
    sockets.push(socket);
    await once(socket, 'connect');
    return socket;
  }

  it('sends the token with each request and matches replies to requests by id, in any order', async () => {
    const seen: unknown[] = [];
    const held: { id: number; sock: Socket }[] = [];
    const socket = await pair((req, sock) => {
      seen.push(req);
      held.push({ id: req.id, sock });
      // Answer both once both arrived, the second first.
      if (held.length === 2)
        for (const h of held.reverse()) h.sock.write(`${JSON.stringify({ id: h.id, ok: true, result: h.id })}\n`);
    });
    const wire = new WireClient(socket, 'tok', { envelope: envelopeOf });
    const [a, b] = await Promise.all([wire.send({ channel: 'x' }), wire.send({ channel: 'y' })]);
    expect([a, b]).toEqual([1, 2]);
    expect(seen).toEqual([
      { id: 1, token: 'tok', channel: 'x' },
      { id: 2, token: 'tok', channel: 'y' },
    ]);
    wire.close();
  });

  it('rejects a refusal with the SentinelError it carries', async () => {
    const socket = await pair((req, sock) =>
      sock.write(`${JSON.stringify({ id: req.id, ok: false, error: { code: 'not_found', message: 'no such' } })}\n`),
    );
    const wire = new WireClient(socket, 'tok', { envelope: envelopeOf });
    const err = await wire.send({ channel: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SentinelError);
    expect(err).toMatchObject({ code: 'not_found', message: 'no such' });
    wire.close();
  });

  it.each([
    ['a line that is not JSON', 'nope{', WIRE_ERROR.notJson],
    ['a malformed envelope', '{"id":1,"ok":"yes"}', WIRE_ERROR.malformed],
  ])('fails every waiting request on %s, and later sends too', async (_what, line, message) => {
    const socket = await pair((_req, sock) => sock.write(`${line}\n`));
    const wire = new WireClient(socket, 'tok', { envelope: envelopeOf });
    await expect(wire.send({ channel: 'x' })).rejects.toThrow(message);
    await expect(wire.send({ channel: 'y' })).rejects.toThrow(message);
    wire.close();
  });

  it('hands events on and ignores replies nobody waits for', async () => {
    const events: unknown[] = [];
    const socket = await pair((req, sock) => {
      sock.write(`${JSON.stringify({ id: 99, ok: true, result: 'stray' })}\n`);
      sock.write(`${JSON.stringify({ event: 'logs', payload: ['l'] })}\n`);
      sock.write(`${JSON.stringify({ id: req.id, ok: true, result: 'mine' })}\n`);
    });
    const wire = new WireClient(socket, 'tok', { envelope: envelopeOf, onEvent: (e, p) => events.push([e, p]) });
    await expect(wire.send({ subscribe: ['logs'] })).resolves.toBe('mine');
    expect(events).toEqual([['logs', ['l']]]);
    wire.close();
  });

  it('rejects what waits when the daemon closes the connection, and settles `closed`', async () => {
    const socket = await pair((_req, sock) => sock.destroy());
    const wire = new WireClient(socket, 'tok', { envelope: envelopeOf });
    await expect(wire.send({ channel: 'x' })).rejects.toThrow('the daemon closed the connection');
    await wire.closed;
  });
});
