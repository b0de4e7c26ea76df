/**
 * `journalctl -o short-iso` lines: "2026-11-23T06:40:01+0000 host proc[123]: message". We grep for the service
 * in-process (unit names and process names differ too often for journalctl's own filters to be reliable).
 */
import type { OsLogLine } from '../shapes';
import { lines } from '../text';

const LINE =
  /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[.,]\d+)?(?:[+-]\d\d:?\d\d|Z)?)\s+(\S+)\s+([^\s:[]+)(?:\[(\d+)\])?:\s?(.*)$/;

export function parseJournal(raw: string): OsLogLine[] {
  const out: OsLogLine[] = [];
  for (const line of lines(raw)) {
    // "-- No entries --", "-- Boot … --" and similar markers carry no event.
    if (line.startsWith('-- ')) continue;
    const m = LINE.exec(line);
    if (m) out.push({ timestamp: m[1]!, type: null, process: m[3]!, pid: m[4] ? Number(m[4]) : null, message: m[5]! });
    else if (out.length > 0) out[out.length - 1]!.message += `\n${line.trim()}`;
  }
  return out;
}

export function filterLogLines(all: OsLogLine[], service: string): OsLogLine[] {
  const needle = service.toLowerCase();
  return all.filter((l) => l.process.toLowerCase().includes(needle) || l.message.toLowerCase().includes(needle));
}
