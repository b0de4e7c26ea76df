/**
 * The CLI's wire format over the Unix socket: one JSON object per line. Both ends validate every line with these
 * schemas, so a garbled or hostile line is answered with an error instead of reaching a handler or crashing.
 */
import { z } from 'zod';
import { ApiError, EVENT_NAMES, type EventName } from '../shared/contract';
import { LineSplitter } from '../core/util/line-splitter';

/** Longest accepted line: config.apply carries up to 1 MB of YAML, which JSON escaping can grow. */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;

const Id = z.union([z.string().max(64), z.number().int()]);
const EventNameSchema = z.enum(EVENT_NAMES as [EventName, ...EventName[]]);

export const SocketRequest = z.union([
  z.strictObject({ id: Id, token: z.string(), channel: z.string(), input: z.unknown().optional() }),
  z.strictObject({ id: Id, token: z.string(), subscribe: z.array(EventNameSchema).min(1) }),
]);
export type SocketRequest = z.infer<typeof SocketRequest>;

export const SocketReply = z.union([
  z.strictObject({ id: Id.nullable(), ok: z.literal(true), result: z.unknown() }),
  z.strictObject({ id: Id.nullable(), ok: z.literal(false), error: ApiError }),
  z.strictObject({ event: EventNameSchema, payload: z.unknown() }),
]);
export type SocketReply = z.infer<typeof SocketReply>;

/** What `<dataDir>/api.json` holds for clients of the running daemon (mode 0600: the token is a credential). */
export const ApiInfo = z.object({
  pid: z.number().int(),
  token: z.string().min(16),
  socket: z.string(),
  url: z.string().nullable(),
});
export type ApiInfo = z.infer<typeof ApiInfo>;

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
