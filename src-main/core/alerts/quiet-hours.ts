/**
 * Quiet hours: a daily window ("22:00"–"07:00", across midnight or not) in a time zone, during which alerts are
 * held and sent as one summary when it ends. Pure: the clock is an argument.
 */
import type { QuietHours } from '../config/alerts-schema';
import { familyOf, type AlertEvent } from './events';

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Minutes since midnight at `at` in `timeZone` (the machine's when undefined). */
export function minuteOfDay(at: number, timeZone?: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(timeZone ? { timeZone } : {}),
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

export function inQuietHours(at: number, q: QuietHours): boolean {
  const now = minuteOfDay(at, q.timezone);
  const from = minutesOf(q.from);
  const to = minutesOf(q.to);
  return from < to ? now >= from && now < to : now >= from || now < to;
}

/** Is this alert, on this channel, to be held right now? */
export function holdsBack(alert: Pick<AlertEvent, 'kind'>, channel: string, at: number, q?: QuietHours): boolean {
  if (!q) return false;
  if (q.channels && !q.channels.includes(channel)) return false;
  const family = familyOf(alert.kind);
  if (family !== null && q.except.includes(family)) return false;
  // A test alert is a person checking a channel right now: never held.
  if (alert.kind === 'test') return false;
  return inQuietHours(at, q);
}
