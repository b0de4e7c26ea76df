/**
 * Generic webhook: the alert as JSON in a POST. With a secret, the request is signed so the receiver can tell it
 * came from this Sentinel and was not replayed: X-Sentinel-Timestamp (epoch seconds) and
 * X-Sentinel-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>.
 */
import { createHmac } from 'node:crypto';
import type { AlertChannelSpec } from '../../config/alerts-schema';
import type { ChannelSender } from '../delivery';
import type { AlertEvent } from '../events';
import { post } from './http';

type WebhookSpec = Extract<AlertChannelSpec, { type: 'webhook' }>;

export const SIGNATURE_HEADER = 'x-sentinel-signature';
export const TIMESTAMP_HEADER = 'x-sentinel-timestamp';

export function signBody(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The JSON a webhook receives (and a command reads on stdin): the alert plus who sent it. */
export function alertPayload(alert: AlertEvent, host: string): Record<string, unknown> {
  return { ...alert, source: 'sentinel', host };
}

export function webhookChannel(spec: WebhookSpec, opts: { host: string; now?: () => number }): ChannelSender {
  const now = opts.now ?? Date.now;
  return {
    send(alert, signal) {
      const body = JSON.stringify(alertPayload(alert, opts.host));
      const headers: Record<string, string> = {
        ...spec.headers,
        'content-type': 'application/json',
        'user-agent': 'sentinel-alerts',
        'x-sentinel-event': alert.kind,
        'x-sentinel-delivery': alert.id,
      };
      if (spec.secret) {
        const ts = String(Math.floor(now() / 1000));
        headers[TIMESTAMP_HEADER] = ts;
        headers[SIGNATURE_HEADER] = signBody(spec.secret, ts, body);
      }
      return post(spec.url, { headers, body }, signal);
    },
  };
}
