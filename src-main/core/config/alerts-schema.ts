/**
 * The `alerts:` section of the config: where alerts go (channels), which events go where (routes), when to hold
 * them back (quiet hours), how many a storm may send, and how hard to try. Every field is validated here so an
 * error names its path (`alerts.channels.phone.url`) and what was expected.
 */
import { z } from 'zod';
import { parseDuration } from '../util/duration';

/** What a route can ask for; each alert belongs to one of these families (see core/alerts/events.ts). */
export const ALERT_FAMILIES = ['failure', 'recovered', 'fatal', 'limit', 'store', 'upstream', 'test'] as const;
export type AlertFamily = (typeof ALERT_FAMILIES)[number];

const ChannelName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'expected a channel name of letters, digits, "_", "." or "-"');

const HttpUrl = z.url({ protocol: /^https?$/, message: 'expected an http(s) URL' });

/** A duration (as config/schema.ts Duration; repeated here because schema.ts imports this file). */
const Ms = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const ms = typeof v === 'number' ? v : parseDuration(v);
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) {
    ctx.addIssue({ code: 'custom', message: `expected a duration like "10s" or "1m", got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return ms;
});

/** ntfy priorities by name or number (1 = min … 5 = max/urgent). */
const NTFY_PRIORITY: Record<string, number> = { min: 1, low: 2, default: 3, high: 4, max: 5, urgent: 5 };
const NtfyPriority = z.union([z.number().int().min(1).max(5), z.string()]).transform((v, ctx) => {
  if (typeof v === 'number') return v;
  const n = NTFY_PRIORITY[v.toLowerCase()];
  if (n === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected 1-5 or min, low, default, high, max, got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return n;
});

const Common = {
  /** Off: the channel stays in the file but gets nothing. */
  enabled: z.boolean().default(true),
};

export const AlertChannelSchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...Common,
    type: z.literal('webhook'),
    url: HttpUrl,
    /** When set, every POST carries X-Sentinel-Signature: sha256=HMAC(secret, "<timestamp>.<body>"). */
    secret: z.string().min(8, 'expected a secret of at least 8 characters').optional(),
    headers: z.record(z.string(), z.string()).default({}),
  }),
  z.strictObject({
    ...Common,
    type: z.literal('ntfy'),
    /** The topic URL, e.g. https://ntfy.sh/my-sentinel-topic (a self-hosted server works the same). */
    url: HttpUrl,
    /** An access token (tk_…) sent as a Bearer token. */
    token: z.string().min(1).optional(),
    /** Fixed priority; default: by event (fatal 5, failure 4, others 3). */
    priority: NtfyPriority.optional(),
    tags: z.array(z.string().min(1)).default([]),
  }),
  z.strictObject({
    ...Common,
    type: z.literal('slack'),
    /** A Slack incoming-webhook URL (or Mattermost, Rocket.Chat, Discord's …/slack endpoint). */
    url: HttpUrl,
  }),
  z.strictObject({
    ...Common,
    type: z.literal('command'),
    /** Run without a shell: the event is in SENTINEL_ALERT_* variables and, as JSON, on stdin. */
    command: z.string().min(1, 'expected a command'),
    args: z.array(z.string()).default([]),
  }),
  z.strictObject({
    ...Common,
    /** macOS Notification Center, shown by the menu-bar app (attached to this supervisor) with actions. */
    type: z.literal('desktop'),
  }),
]);

const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time of day like "22:00"');

export const QuietHoursSchema = z
  .strictObject({
    from: Clock,
    to: Clock,
    /** IANA time zone ("Europe/Berlin"); default: the machine's. */
    timezone: z.string().optional(),
    /** Channels that stay quiet; default: all. */
    channels: z.array(ChannelName).optional(),
    /** Event families that go out even during quiet hours (e.g. [fatal]). */
    except: z.array(z.enum(ALERT_FAMILIES)).default([]),
  })
  .superRefine((v, ctx) => {
    if (v.from === v.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'expected "to" to differ from "from"' });
    if (v.timezone !== undefined && !validTimeZone(v.timezone))
      ctx.addIssue({
        code: 'custom',
        path: ['timezone'],
        message: `expected an IANA time zone like "Europe/Berlin", got ${JSON.stringify(v.timezone)}`,
      });
  });

export const AlertRouteSchema = z.strictObject({
  /** Services or processes this route is for; default: all (and alerts about no service: store, upstream). */
  services: z.array(z.string().min(1)).optional(),
  /** Event families; default: all. */
  events: z.array(z.enum(ALERT_FAMILIES)).optional(),
  channels: z.array(ChannelName).min(1, 'expected at least one channel'),
});

export const AlertsSchema = z
  .strictObject({
    channels: z.record(ChannelName, AlertChannelSchema).default({}),
    /** No routes: every event goes to every enabled channel. */
    routes: z.array(AlertRouteSchema).default([]),
    quiet_hours: QuietHoursSchema.optional(),
    storm: z
      .strictObject({
        /** Alerts a channel may send within `window`; the rest become one summary at the end of the window. */
        threshold: z.number().int().min(1).default(5),
        window: Ms.default(60_000),
      })
      .prefault({}),
    delivery: z
      .strictObject({
        /** Each attempt (HTTP request or command) gets this long. */
        timeout: Ms.default(10_000),
        /** Attempts after the first one. */
        retries: z.number().int().min(0).max(10).default(3),
        /** The first retry waits this long, each next one twice as long (capped at 5 minutes). */
        backoff: Ms.default(2_000),
      })
      .prefault({}),
  })
  .superRefine((v, ctx) => {
    const known = new Set(Object.keys(v.channels));
    const check = (names: string[] | undefined, path: (string | number)[]) =>
      names?.forEach((n, i) => {
        if (!known.has(n))
          ctx.addIssue({
            code: 'custom',
            path: [...path, i],
            message: `no channel named "${n}" (channels: ${[...known].join(', ') || 'none'})`,
          });
      });
    v.routes.forEach((r, i) => check(r.channels, ['routes', i, 'channels']));
    check(v.quiet_hours?.channels, ['quiet_hours', 'channels']);
  })
  .prefault({});

export function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export type AlertsConfig = z.output<typeof AlertsSchema>;
export type AlertChannelSpec = z.output<typeof AlertChannelSchema>;
export type QuietHours = z.output<typeof QuietHoursSchema>;
