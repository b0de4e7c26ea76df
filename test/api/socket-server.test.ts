/**
 * The Unix-socket transport on its own: a real socket in a temp dir, the real client, and a dispatch function
 * standing in for the daemon's handlers (the whole daemon is tested in daemon.test.ts).
 */
import { spawn } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { existsSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProcessInfo } from '../../src-main/shared/contract';
import { SentinelError } from '../../src-main/shared/errors';
import type { Dispatch } from '../../src-main/api/dispatch';
import { NotRunningError, SocketClient } from '../../src-main/api/socket-client';
import { newToken, startSocketServer, writeApiInfo, type SocketServer } from '../../src-main/api/socket-server';
import { busSubscriber } from './bus';
import { tempDir } from '../helpers/tmp';
import { waitFor } from '../helpers/wait';
import { processInfo } from '../helpers/process-info';

const info: ProcessInfo = processInfo({ name: 'web', pid: 42 });

/** Answers processes.list with one process, refuses everything else as the real dispatcher would. */
const dispatch: Dispatch = async (channel, input) =>
  channel === 'processes.list'
    ? { ok: true, result: [info] }
    : channel === 'processes.stop'
      ? {
          ok: false,
          error: {
            code: 'not_found',
            message: `no process named ${JSON.stringify((input as { name?: string }).name)}`,
            field: 'name',
          },
        }
      : { ok: false, error: { code: 'not_found', message: `unknown channel ${JSON.stringify(channel)}` } };

/** A raw line-level connection, to send what no well-behaved client would. */
function rawConnection(path: string) {
  const sock = connect(path);
  const lines: unknown[] = [];
  let buffer = '';
  sock.setEncoding('utf8');
  sock.on('data', (d: string) => {
    buffer += d;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      lines.push(JSON.parse(buffer.slice(0, nl)));
      buffer = buffer.slice(nl + 1);
    }
  });
  return {
    send: (text: string) => sock.write(text),
    reply: (n: number) =>
      waitFor(() => lines.length >= n && lines[n - 1], { what: `reply ${n}` }) as Promise<Record<string, unknown>>,
    close: () => sock.destroy(),
  };
}

describe('socket server and client', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function serve(): Promise<{ dir: string; server: SocketServer; token: string; events: EventEmitter }> {
    const t = tempDir('sentinel-sock-');
    cleanups.push(t.cleanup);
    const token = newToken();
    const events = new EventEmitter();
    const server = await startSocketServer({
      path: join(t.dir, 'sentinel.sock'),
      token,
      dispatch,
      subscribe: busSubscriber(events),
    });
    cleanups.push(() => server.close());
    writeApiInfo(join(t.dir, 'api.json'), { pid: process.pid, token, socket: server.path, url: null });
    return { dir: t.dir, server, token, events };
  }

  it('makes the socket and api.json readable by the owner only', async () => {
    const { dir, server } = await serve();
    expect(statSync(server.path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'api.json')).mode & 0o777).toBe(0o600);
  });

  it('answers a request through the client, validated against the contract', async () => {
    const { dir } = await serve();
    const client = await SocketClient.connect(dir);
    cleanups.push(() => client.close());
    expect(await client.request('processes.list')).toEqual([info]);
    const refused = await client.request('processes.stop', { name: 'nope' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SentinelError);
    expect(refused).toMatchObject({ code: 'not_found', field: 'name' });
  });

  it('answers malformed lines with an error and keeps the connection', async () => {
    const { server, token } = await serve();
    const raw = rawConnection(server.path);
    cleanups.push(() => raw.close());
    raw.send('this is not json\n');
    expect(await raw.reply(1)).toMatchObject({
      id: null,
      ok: false,
      error: { code: 'bad_request', message: 'expected one JSON object per line' },
    });
    raw.send('{"id": 7, "channel": "processes.list"}\n');
    expect(await raw.reply(2)).toMatchObject({ id: 7, ok: false, error: { code: 'bad_request' } });
    raw.send(`${JSON.stringify({ id: 8, token: 'wrong', channel: 'processes.list' })}\n`);
    expect(await raw.reply(3)).toMatchObject({ id: 8, ok: false, error: { code: 'unauthorized' } });
    raw.send(`${JSON.stringify({ id: 9, token, subscribe: ['no.such.event'] })}\n`);
    expect(await raw.reply(4)).toMatchObject({ id: 9, ok: false, error: { code: 'bad_request' } });
    raw.send(`${JSON.stringify({ id: 10, token, channel: 'processes.list' })}\n`);
    expect(await raw.reply(5)).toEqual({ id: 10, ok: true, result: [info] });
  });

  it('refuses a line over the size limit once and drops that connection only', async () => {
    const { dir, server } = await serve();
    const raw = rawConnection(server.path);
    cleanups.push(() => raw.close());
    raw.send('x'.repeat(5 * 1024 * 1024));
    expect(await raw.reply(1)).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: 'message too long' },
    });
    const client = await SocketClient.connect(dir);
    cleanups.push(() => client.close());
    expect(await client.request('processes.list')).toHaveLength(1);
  });

  it('streams subscribed events, and only those', async () => {
    const { dir, events } = await serve();
    const client = await SocketClient.connect(dir);
    cleanups.push(() => client.close());
    const got: string[] = [];
    await client.subscribe(['process.changed'], (event, payload) => got.push(`${event}:${payload.name}`));
    events.emit('event', 'status.changed', {});
    events.emit('event', 'process.changed', info);
    await waitFor(() => got.length === 1, { what: 'the event' });
    expect(got).toEqual(['process.changed:web']);
  });

  it('replaces a stale socket file left by a kill -9 and refuses to start over a live one', async () => {
    const t = tempDir('sentinel-sock-');
    cleanups.push(t.cleanup);
    const path = join(t.dir, 'sentinel.sock');
    // A process that listens on the path and dies without cleaning up, as a crashed daemon does.
    const crashed = spawn(
      process.execPath,
      ['-e', `require('node:net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await waitFor(() => crashed.stdout.read()?.toString().includes('up'), { what: 'the listener' });
    crashed.kill('SIGKILL');
    await once(crashed, 'exit');
    expect(existsSync(path)).toBe(true);

    const server = await startSocketServer({ path, token: newToken(), dispatch, subscribe: () => () => {} });
    cleanups.push(() => server.close());
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await expect(startSocketServer({ path, token: newToken(), dispatch, subscribe: () => () => {} })).rejects.toThrow(
      /another sentinel is running/,
    );
  });

  it('says the daemon is not running when there is no socket', async () => {
    const t = tempDir('sentinel-sock-');
    cleanups.push(t.cleanup);
    const err = await SocketClient.connect(t.dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotRunningError);
    expect((err as Error).message).toBe(`sentinel is not running (no socket at ${join(t.dir, 'sentinel.sock')})`);
  });
});
