/**
 * How a channel appears in logs, reports, the API and the CLI: its name, type and where it points with every
 * secret taken out. Channel URLs carry credentials in many places (an ntfy topic on a public server is itself the
 * password, a Slack webhook's path is, `?token=` and `user:pass@` are), so only the scheme and host are shown.
 * `channelSecrets` lists the literal values to scrub from error messages before they are stored or logged.
 */
import type { AlertChannelSpec } from '../config/alerts-schema';
import { createRedactor, REDACTED } from '../reports/redact';

export function redactChannelUrl(url: string): string {
  try {
    const u = new URL(url);
    const hidden = (u.pathname !== '/' && u.pathname !== '') || u.search !== '' || u.username !== '' || u.hash !== '';
    return `${u.protocol}//${u.host}${hidden ? `/${REDACTED}` : '/'}`;
  } catch {
    return REDACTED;
  }
}

/** "phone (ntfy → https://ntfy.sh/[redacted])", "script (command /usr/local/bin/page)". */
export function describeChannel(name: string, spec: AlertChannelSpec): string {
  if (spec.type === 'command') return `${name} (command ${spec.command})`;
  if (spec.type === 'desktop') return `${name} (desktop)`;
  return `${name} (${spec.type} → ${redactChannelUrl(spec.url)})`;
}

export function channelSecrets(spec: AlertChannelSpec): string[] {
  const out: string[] = [];
  if ('url' in spec) {
    out.push(spec.url);
    try {
      const u = new URL(spec.url);
      if (u.password) out.push(decodeURIComponent(u.password));
      for (const v of u.searchParams.values()) if (v.length >= 4) out.push(v);
      for (const seg of u.pathname.split('/')) if (seg.length >= 8) out.push(decodeURIComponent(seg));
    } catch {
      // Validated by the schema; nothing more to find in an unparsable URL.
    }
  }
  if ('token' in spec && spec.token) out.push(spec.token);
  if ('secret' in spec && spec.secret) out.push(spec.secret);
  if (spec.type === 'webhook') for (const [k, v] of Object.entries(spec.headers)) if (k && v.length >= 4) out.push(v);
  return out;
}

/** A redactor for everything a channel's delivery may say: its secrets plus the well-known shapes. */
export function channelRedactor(spec: AlertChannelSpec): (text: string) => string {
  return createRedactor(channelSecrets(spec));
}
