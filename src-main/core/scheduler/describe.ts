/** Human descriptions of schedules for `sentinel schedules` and the processes window. Pure. */
import type { ScheduleSpec } from '../config/schema';
import { formatDuration } from '../util/duration';
import { cronList } from './trigger';

type DescribableSchedule = Pick<ScheduleSpec, 'cron' | 'every' | 'at' | 'timezone'>;

/** "every 15m", "cron *\/5 * * * * (Europe/Berlin)", "at 2026-12-01 03:00" (the date as written, T → space, :00 seconds dropped). */
export function describeSchedule(s: DescribableSchedule): string {
  if (s.every !== undefined) return `every ${formatDuration(s.every)}`;
  if (s.cron !== undefined)
    return `cron ${cronList(s.cron)
      .map((c) => c.trim())
      .join(' and ')}${s.timezone ? ` (${s.timezone})` : ''}`;
  if (s.at !== undefined)
    return `at ${s.at
      .trim()
      .replace('T', ' ')
      .replace(/(\d\d:\d\d):00(?!\d)/, '$1')}`;
  return 'unscheduled';
}
