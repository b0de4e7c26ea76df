/** Option values shared by several commands, validated into what the API takes; bad values are usage errors. */
import { parseDuration } from '../core/util/duration';
import { usage } from './exit';

export function positiveInt(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw usage(`${what}: expected a positive whole number, got "${text}"`);
  return n;
}

/** `--lines 20`, `--limit 50`: a count the API takes from 1 up to `max`. */
export function countOption(text: string, option: string, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw usage(`${option}: expected a whole number from 1 to ${max}, got "${text}"`);
  return n;
}

/** `--since 7d` → the epoch ms that long before `now` (durations like 30m, 24h, 7d, 2w, 1h30m). */
export function sinceOption(text: string, now: number, option = '--since'): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw usage(`${option}: expected a duration like "30m", "24h" or "7d", got "${text}"`);
  return Math.max(0, now - ms);
}
