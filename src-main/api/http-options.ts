/**
 * What both halves of the HTTP transport share: its options and the loopback/CSP policy. The listening half
 * (http-server.ts) is loaded with the daemon; the Fastify half (http-app.ts) only on the first request.
 */
import type { EventListener } from '../shared/contract';
import type { Dispatch } from './dispatch';

export const LOOPBACK_HOSTS = ['127.0.0.1', '::1', 'localhost'] as const;
export type LoopbackHost = (typeof LOOPBACK_HOSTS)[number];

export interface HttpServerOptions {
  dispatch: Dispatch;
  subscribe: (listener: EventListener) => () => void;
  token: string;
  host?: LoopbackHost;
  port?: number;
  /** The built windows (dist/renderer); none served when absent. */
  staticDir?: string | null;
  /** Prometheus exposition text; /metrics answers 404 when absent. */
  metrics?: () => Promise<string>;
  onError?: (message: string, data?: Record<string, unknown>) => void;
  /**
   * Liveness for GET /healthz (no token: monitors of the monitor have none): null when healthy, else one word
   * saying why not ("store", "stopping"). /healthz answers 404 when absent.
   */
  liveness?: () => string | null;
}

export function contentSecurityPolicy(port: number): string {
  // Chromium rejects an IPv6 literal as a CSP source (and ignores it with a console error); a page served from
  // [::1] still reaches its own WebSocket through 'self'.
  const ws = LOOPBACK_HOSTS.filter((h) => h !== '::1')
    .map((h) => `ws://${h}:${port}`)
    .join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${ws}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}
