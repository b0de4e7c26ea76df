/**
 * Read and discard what is left of a request body before answering it with an error (a "lingering close", as
 * nginx and Apache do). If the server answers 413 and closes while the client is still sending, the client's
 * unread bytes make the kernel send a reset, and a reset can drop the 413 before the client reads it: the client
 * then sees a dead connection instead of "request body too large". Bounded in bytes and time, so a client that
 * sends forever cannot hold the connection.
 */
import type { IncomingMessage } from 'node:http';

export const DRAIN_MAX_BYTES = 64 * 1024 * 1024;
export const DRAIN_MAX_MS = 5_000;

export function drainBody(
  req: IncomingMessage,
  maxBytes: number = DRAIN_MAX_BYTES,
  maxMs: number = DRAIN_MAX_MS,
): Promise<void> {
  if (req.complete || req.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    const done = () => {
      clearTimeout(timer);
      req.off('data', onData).off('end', done).off('close', done).off('error', done);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > maxBytes) done();
    };
    const timer = setTimeout(done, maxMs);
    req.on('data', onData).on('end', done).on('close', done).on('error', done);
    req.resume();
  });
}
