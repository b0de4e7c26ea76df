/**
 * The CLI side of the Unix socket: finds the running daemon through `<dataDir>/api.json` and the socket next to
 * it, sends requests with the token and validates every reply against the contract before handing it out.
 */
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { apiInfoPath, socketPath } from '../core/config/paths';
import {
  events,
  requests,
  type Channel,
  type EventName,
  type EventPayload,
  type RequestInput,
  type RequestResult,
} from '../shared/contract';
import { ApiInfo, SocketReply } from './socket-messages';
import { WireClient, type Envelope } from './wire';

/**
 * Why there is no daemon to talk to — three different fixes for a person:
 * - no-socket: nothing ever started here (or it stopped cleanly): start it;
 * - stale-socket: the file is left by a daemon that is gone (killed, crashed): start it again;
 * - permission-denied: a daemon may well run, as another user: use that user (or its data dir).
 */
export type NotRunningReason = 'no-socket' | 'stale-socket' | 'permission-denied';

/** No daemon to talk to: the CLI prints the message and exits 1. */
export class NotRunningError extends Error {
  constructor(
    readonly socket: string,
    readonly reason: NotRunningReason = 'no-socket',
    pid?: number,
  ) {
    super(notRunningMessage(socket, reason, pid));
    this.name = 'NotRunningError';
  }
}

function notRunningMessage(socket: string, reason: NotRunningReason, pid?: number): string {
  if (reason === 'stale-socket')
    return `sentinel is not running (stale socket at ${socket}: the daemon that served it${pid ? ` (pid ${pid})` : ''} is gone; start it again)`;
  if (reason === 'permission-denied')
    return `sentinel may be running, but permission was denied on ${socket} (it belongs to another user?)`;
  return `sentinel is not running (no socket at ${socket})`;
}

/** The errno codes of a connect() that say which kind of "not running" this is. */
function notRunningReason(code: string | undefined): NotRunningReason | undefined {
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'no-socket';
  if (code === 'ECONNREFUSED' || code === 'ENOTSOCK') return 'stale-socket';
  if (code === 'EACCES' || code === 'EPERM') return 'permission-denied';
  return undefined;
}

/** The envelope validated against the contract's reply schema; undefined when it is not one. */
function strictEnvelope(json: unknown): Envelope | undefined {
  const parsed = SocketReply.safeParse(json);
  if (!parsed.success) return undefined;
  const reply = parsed.data;
  return 'event' in reply ? reply : { id: reply.id, outcome: reply };
}

export class SocketClient {
  private readonly wire: WireClient;
  private readonly eventListeners = new Set<(event: EventName, payload: unknown) => void>();
  /** Settles when the connection ends, from either side. */
  readonly closed: Promise<void>;

  private constructor(socket: Socket, token: string) {
    this.wire = new WireClient(socket, token, {
      envelope: strictEnvelope,
      onEvent: (event, payload) => {
        for (const l of this.eventListeners) l(event as EventName, payload);
      },
    });
    this.closed = this.wire.closed;
  }

  /** Connects to the daemon serving `dataDir`; NotRunningError when there is none. */
  static async connect(dataDir: string): Promise<SocketClient> {
    const path = socketPath(dataDir);
    // Connect first: what the socket answers tells the three kinds of "not running" apart.
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect(path);
      s.once('connect', () => resolve(s));
      s.once('error', (err: NodeJS.ErrnoException) => {
        const reason = notRunningReason(err.code);
        reject(reason ? new NotRunningError(path, reason, readApiInfo(dataDir)?.pid) : err);
      });
    });
    let info: ApiInfo | undefined;
    try {
      info = ApiInfo.parse(JSON.parse(readFileSync(apiInfoPath(dataDir), 'utf8')));
    } catch (err) {
      socket.destroy();
      if (notRunningReason((err as NodeJS.ErrnoException).code) === 'permission-denied')
        throw new NotRunningError(path, 'permission-denied');
      // A live socket without a readable api.json: the daemon is still starting (it writes api.json last).
      throw new Error(
        `sentinel answers on ${path} but ${apiInfoPath(dataDir)} is missing or unreadable (still starting?)`,
      );
    }
    return new SocketClient(socket, info.token);
  }

  async request<C extends Channel>(channel: C, input?: RequestInput<C>): Promise<RequestResult<C>> {
    const result = await this.wire.send({ channel, input });
    const parsed = requests[channel].output.safeParse(result);
    if (!parsed.success)
      throw new Error(`the daemon sent a malformed ${channel} reply: ${parsed.error.issues[0]?.message ?? ''}`);
    return parsed.data as RequestResult<C>;
  }

  /** Streams the named events until `close()`; resolves once the daemon confirmed the subscription. */
  async subscribe<E extends EventName>(
    names: E[],
    listener: (event: E, payload: EventPayload<E>) => void,
  ): Promise<void> {
    this.eventListeners.add((event, payload) => {
      if (!names.includes(event as E)) return;
      const parsed = events[event].safeParse(payload);
      if (parsed.success) listener(event as E, parsed.data as EventPayload<E>);
    });
    await this.wire.send({ subscribe: names });
  }

  close(): void {
    this.wire.close();
  }
}

export function readApiInfo(dataDir: string): ApiInfo | undefined {
  try {
    const parsed = ApiInfo.safeParse(JSON.parse(readFileSync(apiInfoPath(dataDir), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
