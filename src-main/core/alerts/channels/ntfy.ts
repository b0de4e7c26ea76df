/**
 * ntfy (ntfy.sh or self-hosted): published as JSON to the server root with the topic in the body, which carries
 * titles and messages in any script (header-based publishing is limited to ASCII). Priority by event unless the
 * channel fixes one; the channel's tags plus one per event (ntfy shows known tag names as emoji).
 */
import type { AlertChannelSpec } from '../../config/alerts-schema';
import type { ChannelSender } from '../delivery';
import type { AlertEvent, AlertKind } from '../events';
import { post } from './http';

type NtfySpec = Extract<AlertChannelSpec, { type: 'ntfy' }>;

const PRIORITY: Record<AlertKind, number> = {
  fatal: 5,
  failure: 4,
  store_degraded: 4,
  summary: 4,
  limit: 3,
  upstream_down: 3,
  recovered: 3,
  store_recovered: 3,
  upstream_back: 3,
  test: 3,
};

const TAG: Record<AlertKind, string> = {
  fatal: 'skull',
  failure: 'rotating_light',
  store_degraded: 'floppy_disk',
  summary: 'bell',
  limit: 'chart_with_upwards_trend',
  upstream_down: 'globe_with_meridians',
  recovered: 'white_check_mark',
  store_recovered: 'white_check_mark',
  upstream_back: 'white_check_mark',
  test: 'test_tube',
};

/** https://ntfy.sh/alerts → { server: https://ntfy.sh/, topic: alerts }; a server under a sub-path works too. */
export function splitTopicUrl(url: string): { server: string; topic: string } {
  const u = new URL(url);
  const parts = u.pathname.split('/').filter(Boolean);
  const topic = decodeURIComponent(parts.pop() ?? '');
  if (!topic) throw new Error('expected a topic URL like https://ntfy.sh/my-topic');
  u.pathname = `/${parts.map((p) => `${p}/`).join('')}`;
  return { server: u.toString(), topic };
}

export function ntfyBody(alert: AlertEvent, spec: NtfySpec, topic: string): Record<string, unknown> {
  return {
    topic,
    title: alert.title,
    message: alert.message,
    priority: spec.priority ?? PRIORITY[alert.kind],
    tags: [...spec.tags, TAG[alert.kind]],
  };
}

export function ntfyChannel(spec: NtfySpec): ChannelSender {
  const { server, topic } = splitTopicUrl(spec.url);
  return {
    send(alert, signal) {
      const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'sentinel-alerts' };
      if (spec.token) headers.authorization = `Bearer ${spec.token}`;
      return post(server, { headers, body: JSON.stringify(ntfyBody(alert, spec, topic)) }, signal);
    },
  };
}
