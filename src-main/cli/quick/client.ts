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
import { version } from '../../../package.json';
import { apiInfoPath, socketPath } from '../../core/config/paths';
import { envelopeOf, isObject, WireClient } from '../../api/wire';
import type { Channel, RequestInput, RequestResult } from '../../shared/contract';
import type { CliClient } from '../session';

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
      return result.version === version && isObject(result.overall) && Array.isArray(result.processes);
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

export class QuickClient implements CliClient {
  private readonly wire: WireClient;
  readonly closed: Promise<void>;

  private constructor(socket: Socket, token: string) {
    // Events are not asked for on this path; the envelope is checked by hand (the result below, when it must be).
    this.wire = new WireClient(socket, token, { envelope: envelopeOf });
    this.closed = this.wire.closed;
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
    const result = await this.wire.send({ channel, input });
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
    this.wire.close();
  }
}
