/**
 * Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat, Discord's …/slack endpoint): `text` for
 * every client, plus one attachment with a colour by severity where the client shows them.
 */
import type { AlertChannelSpec } from '../../config/alerts-schema';
import type { ChannelSender } from '../delivery';
import type { AlertEvent, Severity } from '../events';
import { post } from './http';

type SlackSpec = Extract<AlertChannelSpec, { type: 'slack' }>;

const COLOR: Record<Severity, string> = { info: '#2eb67d', warning: '#ecb22e', critical: '#e01e5a' };

/** Slack's mrkdwn treats &, < and > as markup. */
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function slackBody(alert: AlertEvent): Record<string, unknown> {
  return {
    text: `*${escape(alert.title)}*\n${escape(alert.message)}`,
    attachments: [
      {
        color: alert.kind === 'recovered' || alert.kind.endsWith('_back') ? COLOR.info : COLOR[alert.severity],
        fallback: alert.title,
        footer: 'Sentinel',
        ts: Math.floor(alert.at / 1000),
      },
    ],
  };
}

export function slackChannel(spec: SlackSpec): ChannelSender {
  return {
    send(alert, signal) {
      return post(
        spec.url,
        {
          headers: { 'content-type': 'application/json', 'user-agent': 'sentinel-alerts' },
          body: JSON.stringify(slackBody(alert)),
        },
        signal,
      );
    },
  };
}
