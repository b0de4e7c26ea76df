/**
 * `sentinel logs` lines as pm2 prints them: local time, the process name in its own colour and padded so the
 * bars line up, then the line. stderr and Sentinel's own markers are labelled ("web/err", "web/sys"), not
 * painted red: many programs write normal output (an access log) to stderr.
 */
import type { LogLine } from '../../shared/contract';
import { localTime } from '../format';
import { plain, processColor, type Colors } from '../style';

/** What a line is labelled with: the process, and the stream when it is not stdout. */
export const logLabel = (l: Pick<LogLine, 'process' | 'stream'>): string =>
  l.stream === 'out' ? l.process : `${l.process}/${l.stream}`;

export interface LogLineOptions {
  /** Labels are padded to this many columns so the bars line up. */
  labelWidth?: number;
  now: number;
  c?: Colors;
}

export function logLine(l: LogLine, { labelWidth = 0, now, c = plain }: LogLineOptions): string {
  const label = logLabel(l);
  const name = processColor(c, l.process)(l.process);
  const stream = l.stream === 'out' ? '' : `/${l.stream === 'err' ? c.red(l.stream) : c.dim(l.stream)}`;
  const pad = ' '.repeat(Math.max(0, labelWidth - label.length));
  const text = l.stream === 'sys' ? c.dim(l.line) : l.line;
  return `${c.dim(localTime(l.at, now))} ${name}${stream}${pad} ${c.dim('|')} ${text}`;
}

/** The label width for a batch: the widest label in it, or `floor` if wider (a follower's width only grows). */
export const labelWidth = (lines: readonly Pick<LogLine, 'process' | 'stream'>[], floor = 0): number =>
  lines.reduce((w, l) => Math.max(w, logLabel(l).length), floor);
