/**
 * macOS unified log, `log show --style compact`: "2026-11-23 07:40:01.123 Df netbird[612:1a2b] message".
 * Type codes: Df default, I info, Db debug, E error, F fault, A activity.
 */
import type { OsLogLine } from '../shapes';
import { lines } from '../text';

const TYPES: Record<string, string> = { Df: 'default', I: 'info', Db: 'debug', E: 'error', F: 'fault', A: 'activity' };
const LINE =
  /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+)\s+([A-Za-z]{1,2})\s+([^[\s]+)(?:\[(\d+)(?::[0-9a-fx]+)?\])?\s?(.*)$/;

/** `log show` argv for the last minutes since `sinceMs`; the service name is quoted for the predicate. */
export function logShowCommand(service: string, sinceMs: number, now = Date.now()): string[] {
  const minutes = Math.max(1, Math.ceil((now - sinceMs) / 60_000));
  const quoted = JSON.stringify(service);
  return [
    'log',
    'show',
    '--last',
    `${minutes}m`,
    '--style',
    'compact',
    '--predicate',
    `process CONTAINS ${quoted} OR eventMessage CONTAINS ${quoted}`,
  ];
}

export function parseLogShow(raw: string): OsLogLine[] {
  const out: OsLogLine[] = [];
  for (const line of lines(raw)) {
    const m = LINE.exec(line);
    if (m)
      out.push({
        timestamp: m[1]!,
        type: TYPES[m[2]!] ?? m[2]!,
        process: m[3]!,
        pid: m[4] ? Number(m[4]) : null,
        message: m[5]!,
      });
    // "Filtering the log data using …" and the "Timestamp Ty Process" header precede the events; a line that is
    // not an event after one is a continuation of a multi-line message.
    else if (out.length > 0 && !line.startsWith('Timestamp')) out[out.length - 1]!.message += `\n${line.trim()}`;
  }
  return out;
}
