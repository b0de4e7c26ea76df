/** One TCP connect with an abort signal: resolves when connected (then closes), rejects with the socket error. */
import { connect } from 'node:net';

export function tcpConnect(host: string, port: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('aborted'));
    const socket = connect({ host, port });
    const onAbort = () => finish(new Error('aborted'));
    const finish = (err?: Error) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      if (err) reject(err);
      else resolve();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish());
    socket.once('error', (err) => finish(err));
  });
}

/** "host:port", "[v6]:port" or a bare host (then `defaultPort`). */
export function parseTarget(target: string, defaultPort: number): { host: string; port: number } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(target);
  if (v6) return { host: v6[1]!, port: v6[2] ? Number(v6[2]) : defaultPort };
  const m = /^([^:]+):(\d+)$/.exec(target);
  if (m) return { host: m[1]!, port: Number(m[2]) };
  return { host: target, port: defaultPort };
}
