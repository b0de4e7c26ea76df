/** Pure text formatting for the CLI's tables and log lines (table-tested). */
import type { LogLine, ProcessInfo } from '../shared/contract';
import { formatDuration } from '../core/util/duration';

/** Left-aligned columns separated by two spaces; the header row is the first row. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function statusTable(processes: readonly ProcessInfo[], now: number): string {
  if (processes.length === 0) return 'no processes configured';
  const rows = processes.map((p) => [
    p.name,
    p.state,
    p.pid === null ? '-' : String(p.pid),
    p.uptime_ms === null || p.state !== 'running' ? '-' : formatDuration(p.uptime_ms),
    String(p.restarts),
    note(p, now),
  ]);
  return table([['NAME', 'STATE', 'PID', 'UPTIME', 'RESTARTS', ''], ...rows]);
}

/** What a person wants to know next to the state: when the next try is, or why it stopped. */
export function note(p: ProcessInfo, now: number): string {
  if (p.state === 'backoff' && p.next_attempt_at !== null)
    return `next attempt in ${Math.max(0, Math.ceil((p.next_attempt_at - now) / 1000))} s`;
  if ((p.state === 'fatal' || p.state === 'exited') && p.reason) return p.reason;
  return '';
}

export function logLine(l: LogLine): string {
  return `${new Date(l.at).toISOString()} ${l.process}${l.stream === 'out' ? '' : `/${l.stream}`} | ${l.line}`;
}
