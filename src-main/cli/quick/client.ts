/**
 * A small client for the quick path: the socket, the token from api.json and one JSON line per request, without
 * zod. The full SocketClient validates every reply against the contract, and loading zod and building the
 * contract's schemas costs more than the rest of `sentinel status` together; here a reply is checked for the fields
 * the commands read (`looksRight`), and only a reply that fails that check goes through the contract, loaded then,
 * so a malformed reply is refused with the same message as before. A status snapshot of another version than this
 * CLI always goes through the contract.
 *
 * `connect` returns undefined for every kind of "cannot talk to it" (no socket, stale socket, no api.json): the
 * caller then runs the full program, whose messages say which one it is. Nothing has been sent at that point.
 */
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import pkg from '../../../package.json';
import { apiInfoPath, socketPath } from '../../core/config/paths';
import { LineSplitter } from '../../core/util/line-splitter';
import type { Channel, RequestInput, RequestResult } from '../../shared/contract';
import { outcomeResult, WIRE_ERROR, type Outcome } from '../../shared/errors';
import type { CliClient } from '../session';

type Waiter = { resolve(v: unknown): void; reject(e: Error): void };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown): boolean => Array.isArray(v) && v.every((s) => typeof s === 'string');
const STREAMS = ['out', 'err', 'sys'];
const isLogLine = (l: unknown): boolean =>
  isObject(l) &&
  typeof l.id === 'number' &&
  typeof l.process === 'string' &&
  STREAMS.includes(l.stream as string) &&
  typeof l.at === 'number' &&
  typeof l.line === 'string';

/** Whether a result of the channels the quick path uses has what the commands read. */
function looksRight(channel: Channel, result: unknown): boolean {
  if (!isObject(result)) return false;
  switch (channel) {
    case 'status.get':
      // Same version: the daemon built it from the same typed contract this CLI was built with.
      return result.version === pkg.version && isObject(result.overall) && Array.isArray(result.processes);
    case 'processes.start':
    case 'processes.stop':
    case 'processes.restart':
      return isStringArray(result.affected) && Object.keys(result).length === 1;
    case 'logs.query':
      return Array.isArray(result.lines) && result.lines.every(isLogLine);
    default:
      return false;
  }
}

/** The reply's outcome, or undefined when it is not one (the full client calls that a malformed reply). */
function outcomeOf(reply: Record<string, unknown>): Outcome | undefined {
  if (reply.ok === true && 'result' in reply) return { ok: true, result: reply.result };
  const error = reply.error;
  if (reply.ok === false && isObject(error) && typeof error.code === 'string' && typeof error.message === 'string')
    return { ok: false, error: error as unknown as Extract<Outcome, { ok: false }>['error'] };
  return undefined;
}

export class QuickClient implements CliClient {
  private nextId = 1;
  private readonly pending = new Map<number, Waiter>();
  private closedError: Error | undefined;
  readonly closed: Promise<void>;

  private constructor(
    private readonly socket: Socket,
    private readonly token: string,
  ) {
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    const splitter = new LineSplitter(Infinity);
    socket.on('data', (chunk: Buffer) => {
      for (const line of splitter.push(chunk)) if (line.trim() !== '') this.onLine(line);
    });
    socket.on('close', () => this.failAll(new Error('the daemon closed the connection')));
    socket.on('error', (err) => this.failAll(err));
  }

  /** The client, or undefined when there is no daemon to talk to (the full program says why). */
  static async connect(dataDir: string): Promise<QuickClient | undefined> {
    const socket = await new Promise<Socket | undefined>((resolve) => {
      const s = connect(socketPath(dataDir));
      s.once('connect', () => resolve(s));
      s.once('error', () => resolve(undefined));
    });
    if (!socket) return undefined;
    try {
      const info: unknown = JSON.parse(readFileSync(apiInfoPath(dataDir), 'utf8'));
      if (isObject(info) && typeof info.token === 'string' && info.token.length >= 16)
        return new QuickClient(socket, info.token);
    } catch {
      // Unreadable or not JSON: the full program explains it.
    }
    socket.destroy();
    return undefined;
  }

  async request<C extends Channel>(channel: C, input?: RequestInput<C>): Promise<RequestResult<C>> {
    const result = await this.send({ channel, input });
    if (looksRight(channel, result)) return result as RequestResult<C>;
    const { requests } = await import('../../shared/contract');
    const parsed = requests[channel].output.safeParse(result);
    if (!parsed.success)
      throw new Error(`the daemon sent a malformed ${channel} reply: ${parsed.error.issues[0]?.message ?? ''}`);
    return parsed.data as RequestResult<C>;
  }

  subscribe(): Promise<void> {
    // `logs --follow` is not a quick call (quick/argv.ts): it goes to the full program.
    return Promise.reject(new Error('the quick client does not subscribe'));
  }

  close(): void {
    this.closedError = new Error('client closed');
    this.socket.destroy();
  }

  private send(body: Record<string, unknown>): Promise<unknown> {
    if (this.closedError) return Promise.reject(this.closedError);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.write(`${JSON.stringify({ id, token: this.token, ...body })}\n`);
    });
  }

  private onLine(line: string): void {
    let reply: unknown;
    try {
      reply = JSON.parse(line);
    } catch {
      return this.failAll(new Error(WIRE_ERROR.notJson));
    }
    if (!isObject(reply) || 'event' in reply) return;
    const waiter = typeof reply.id === 'number' ? this.pending.get(reply.id) : undefined;
    if (!waiter) return;
    this.pending.delete(reply.id as number);
    const outcome = outcomeOf(reply);
    if (!outcome) return waiter.reject(new Error(WIRE_ERROR.malformed));
    try {
      waiter.resolve(outcomeResult(outcome));
    } catch (refusal) {
      waiter.reject(refusal as Error);
    }
  }

  private failAll(err: Error): void {
    this.closedError ??= err;
    for (const w of this.pending.values()) w.reject(err);
    this.pending.clear();
  }
}
