/**
 * What a client command needs from its connection to the daemon, and how a refused request ends the command. Both
 * connections (the full SocketClient and the quick client of `quick/`) fit it, so a command's body is written once.
 * Type-only imports of the contract: this file loads no zod.
 */
import type { Channel, EventName, EventPayload, RequestInput, RequestResult } from '../shared/contract';
import { SentinelError } from '../shared/errors';
import { CliExit } from './exit';

export interface CliClient {
  request<C extends Channel>(channel: C, input?: RequestInput<C>): Promise<RequestResult<C>>;
  subscribe<E extends EventName>(names: E[], listener: (event: E, payload: EventPayload<E>) => void): Promise<void>;
  /** Settles when the connection ends, from either side. */
  readonly closed: Promise<void>;
  close(): void;
}

/** Runs `fn` on a connected client and closes it; a refused request is one line and exit 2 (bad request) or 1. */
export async function usingClient<C extends CliClient, T>(client: C, fn: (client: C) => Promise<T>): Promise<T> {
  try {
    return await fn(client);
  } catch (err) {
    if (err instanceof SentinelError) throw new CliExit(err.code === 'bad_request' ? 2 : 1, `error: ${err.message}`);
    throw err;
  } finally {
    client.close();
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
