/**
 * The body of `sentinel logs`, shared by the commander command and the quick path (which takes the calls without
 * --follow).
 */
import type { LogLine } from '../../shared/contract';
import { compileGrep } from '../../shared/grep';
import { usage } from '../exit';
import { countOption, sinceOption } from '../options';
import type { CliClient } from '../session';
import { paint } from '../style';
import { labelWidth, logLine } from '../views/logs';

export interface LogsOptions {
  follow?: boolean;
  grep?: string;
  since?: string;
  lines?: string;
}

export interface LogsQuery {
  process?: string;
  grep?: string;
  since?: number;
  limit: number;
}

/** Pure: validates the options into a logs.query input; bad values are usage errors naming the option. */
export function logsQuery(name: string | undefined, opts: LogsOptions, now: number): LogsQuery {
  const query: LogsQuery = { limit: 100 };
  if (name !== undefined) query.process = name;
  if (opts.lines !== undefined) query.limit = countOption(opts.lines, '--lines', 5000);
  if (opts.since !== undefined) query.since = sinceOption(opts.since, now);
  if (opts.grep !== undefined) {
    try {
      compileGrep(opts.grep, '--grep');
    } catch (err) {
      throw usage((err as Error).message);
    }
    query.grep = opts.grep;
  }
  return query;
}

export async function showLogs(client: CliClient, query: LogsQuery, follow: boolean): Promise<void> {
  // Subscribe before querying, so no line can fall between the last queried one and the first streamed.
  const stream = follow ? await tail(client, query) : undefined;
  const { lines } = await client.request('logs.query', query);
  // The API returns the newest `limit` lines; print them oldest first, as a log reads.
  const ordered = [...lines].sort((a, b) => a.id - b.id);
  const printer = linePrinter(labelWidth(ordered));
  for (const l of ordered) printer(l);
  if (!stream) return;
  stream.startAfter(ordered.at(-1)?.id ?? 0, printer);
  // Runs until the user interrupts or the daemon goes away.
  const interrupted = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await Promise.race([interrupted, client.closed]);
}

/**
 * Writes lines with their labels padded to one width, so the bars line up; a longer name arriving later (while
 * following) widens the labels from then on.
 */
function linePrinter(initialWidth: number): (l: LogLine) => void {
  let width = initialWidth;
  const c = paint();
  return (l) => {
    width = labelWidth([l], width);
    process.stdout.write(`${logLine(l, { labelWidth: width, now: Date.now(), c })}\n`);
  };
}

/** Streams matching new lines; holds them back until `startAfter` says where the queried history ended. */
async function tail(
  client: CliClient,
  query: LogsQuery,
): Promise<{ startAfter(id: number, print: (l: LogLine) => void): void }> {
  const re = query.grep !== undefined ? compileGrep(query.grep) : undefined;
  const held: LogLine[] = [];
  let last: number | undefined;
  let write: (l: LogLine) => void = () => {};
  const emit = (l: LogLine) => {
    if (last === undefined || l.id <= last) return;
    last = l.id;
    write(l);
  };
  await client.subscribe(['logs.appended'], (_event, lines) => {
    for (const l of lines) {
      if ((query.process !== undefined && l.process !== query.process) || (re && !re.test(l.line))) continue;
      if (last === undefined) held.push(l);
      else emit(l);
    }
  });
  return {
    startAfter(id, print) {
      last = id;
      write = print;
      held.splice(0).forEach(emit);
    },
  };
}
