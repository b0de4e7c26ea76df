/**
 * The socket wire without zod: lines for both ends (`lineSplitter`), and the client end that both clients share
 * (the full SocketClient and the CLI's quick client): one JSON line per request, replies matched to their request by
 * id, events handed on. Zod-free on purpose: the quick path loads this and nothing heavy; how strictly an envelope
 * is read is the caller's `envelope` function (the full client validates it against the contract).
 */
import type { Socket } from 'node:net';
import { LineSplitter } from '../core/util/line-splitter';
import { outcomeResult, WIRE_ERROR, type Outcome } from '../shared/errors';

/** Longest accepted line: config.apply carries up to 1 MB of YAML, which JSON escaping can grow. */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;

/**
 * Splits a byte stream into JSON lines (blank lines skipped); a line over the limit is reported once and everything
 * after it ignored (drop the connection).
 */
export function lineSplitter(onLine: (line: string) => void, onTooLong: () => void): (chunk: Buffer | string) => void {
  // No cutting: a JSON line cut in two is two garbled messages, so an overlong line is an error instead.
  const splitter = new LineSplitter(Infinity);
  let overflowed = false;
  return (chunk) => {
    if (overflowed) return;
    for (const line of splitter.push(chunk)) if (line.trim() !== '') onLine(line);
    if (splitter.pending > MAX_LINE_BYTES) {
      overflowed = true;
      onTooLong();
    }
  };
}

/** One line from the daemon, read: the outcome of request `id`, or an event. */
export type Envelope = { id: unknown; outcome: Outcome } | { event: string; payload: unknown };

/** A plain JSON object (not null, not an array). */
export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The envelope checked by hand for the fields a client reads (`ok` with `result`, or `error` with code and message;
 * `event` with a name); undefined when the line is no reply of the protocol.
 */
export function envelopeOf(json: unknown): Envelope | undefined {
  if (!isObject(json)) return undefined;
  if ('event' in json) return typeof json.event === 'string' ? { event: json.event, payload: json.payload } : undefined;
  if (json.ok === true && 'result' in json) return { id: json.id, outcome: { ok: true, result: json.result } };
  const error = json.error;
  if (json.ok === false && isObject(error) && typeof error.code === 'string' && typeof error.message === 'string')
    return { id: json.id, outcome: { ok: false, error: error as unknown as Extract<Outcome, { ok: false }>['error'] } };
  return undefined;
}

export interface WireOptions {
  /** Reads a parsed line; undefined means a malformed reply, which fails the connection. */
  envelope(json: unknown): Envelope | undefined;
  onEvent?(event: string, payload: unknown): void;
}

type Waiter = { resolve(v: unknown): void; reject(e: Error): void };

export class WireClient {
  private nextId = 1;
  private readonly pending = new Map<number, Waiter>();
  private closedError: Error | undefined;
  /** Settles when the connection ends, from either side. */
  readonly closed: Promise<void>;

  constructor(
    private readonly socket: Socket,
    private readonly token: string,
    private readonly opts: WireOptions,
  ) {
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on(
      'data',
      lineSplitter(
        (line) => this.onLine(line),
        () => this.failAll(new Error('reply too long')),
      ),
    );
    socket.on('close', () => this.failAll(new Error('the daemon closed the connection')));
    socket.on('error', (err) => this.failAll(err));
  }

  /** Sends one request line; resolves with the result, rejects with the refusal (a SentinelError) or a wire error. */
  send(body: Record<string, unknown>): Promise<unknown> {
    if (this.closedError) return Promise.reject(this.closedError);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.write(`${JSON.stringify({ id, token: this.token, ...body })}\n`);
    });
  }

  close(): void {
    this.closedError = new Error('client closed');
    this.socket.destroy();
  }

  private onLine(line: string): void {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      return this.failAll(new Error(WIRE_ERROR.notJson));
    }
    const reply = this.opts.envelope(json);
    if (!reply) return this.failAll(new Error(WIRE_ERROR.malformed));
    if ('event' in reply) return this.opts.onEvent?.(reply.event, reply.payload);
    const waiter = typeof reply.id === 'number' ? this.pending.get(reply.id) : undefined;
    if (!waiter) return;
    this.pending.delete(reply.id as number);
    try {
      waiter.resolve(outcomeResult(reply.outcome));
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
