/** A sender for each channel type of the config. `desktop` is delivered by whoever shows notifications (the app). */
import { hostname } from 'node:os';
import type { AlertChannelSpec } from '../../config/alerts-schema';
import type { ChannelSender } from '../delivery';
import { commandChannel } from './command';
import { ntfyChannel } from './ntfy';
import { slackChannel } from './slack';
import { webhookChannel } from './webhook';

export interface SenderOptions {
  timeoutMs: number;
  /** Shows desktop notifications; absent (headless with no app attached): desktop alerts are skipped. */
  desktop?: ChannelSender;
  host?: string;
}

export function createSender(spec: AlertChannelSpec, opts: SenderOptions): ChannelSender {
  const host = opts.host ?? hostname();
  switch (spec.type) {
    case 'webhook':
      return webhookChannel(spec, { host });
    case 'ntfy':
      return ntfyChannel(spec);
    case 'slack':
      return slackChannel(spec);
    case 'command':
      return commandChannel(spec, { host, timeoutMs: opts.timeoutMs });
    case 'desktop':
      return (
        opts.desktop ?? {
          send: async () => ({ ok: false, retry: false, error: 'no app is showing desktop notifications' }),
        }
      );
  }
}
