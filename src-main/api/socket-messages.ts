/**
 * The CLI's wire format over the Unix socket: one JSON object per line. Both ends validate every line with these
 * schemas, so a garbled or hostile line is answered with an error instead of reaching a handler or crashing.
 */
import { z } from 'zod';
import { ApiError, EVENT_NAMES, type EventName } from '../shared/contract';

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
