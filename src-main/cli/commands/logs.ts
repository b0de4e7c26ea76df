/** `sentinel logs [NAME] [-f] [--grep RE] [--since 10m] [--lines N]`. */
import type { Command } from 'commander';
import type { LogLine } from '../../shared/contract';
import { compileGrep } from '../../shared/grep';
import type { SocketClient } from '../../api/socket-client';
import { parseDuration } from '../../core/util/duration';
import { withClient, withLocation, type LocationOptions } from '../client';
import { usage } from '../exit';
import { logLine } from '../format';

interface LogsOptions extends LocationOptions {
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
  if (opts.lines !== undefined) {
    const n = Number(opts.lines);
    if (!Number.isInteger(n) || n < 1 || n > 5000)
      throw usage(`--lines: expected a whole number from 1 to 5000, got "${opts.lines}"`);
    query.limit = n;
  }
  if (opts.since !== undefined) {
    const ms = parseDuration(opts.since);
    if (ms === undefined) throw usage(`--since: expected a duration like "10m" or "2h", got "${opts.since}"`);
    query.since = now - ms;
  }
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

export function registerLogs(program: Command): void {
  withLocation(program.command('logs [name]'))
    .description('show captured output (all processes, or one)')
    .option('-f, --follow', 'keep printing new lines')
    .option('--grep <regexp>', 'only lines matching this regular expression')
    .option('--since <duration>', 'only lines newer than this, e.g. 10m')
    .option('--lines <n>', 'how many recent lines (default 100)')
    .action((name: string | undefined, opts: LogsOptions) => {
      const query = logsQuery(name, opts, Date.now());
      return withClient(opts, async (client) => {
        // Subscribe before querying, so no line can fall between the last queried one and the first streamed.
        const stream = opts.follow ? await tail(client, query) : undefined;
        const { lines } = await client.request('logs.query', query);
        // The API returns the newest `limit` lines; print them oldest first, as a log reads.
        const ordered = [...lines].sort((a, b) => a.id - b.id);
        for (const l of ordered) process.stdout.write(`${logLine(l)}\n`);
        if (!stream) return;
        stream.startAfter(ordered.at(-1)?.id ?? 0);
        // Runs until the user interrupts or the daemon goes away.
        const interrupted = new Promise<void>((resolve) => {
          process.once('SIGINT', () => resolve());
          process.once('SIGTERM', () => resolve());
        });
        await Promise.race([interrupted, client.closed]);
      });
    });
}

/** Streams matching new lines; holds them back until `startAfter(id)` says where the queried history ended. */
async function tail(client: SocketClient, query: LogsQuery): Promise<{ startAfter(id: number): void }> {
  const re = query.grep !== undefined ? compileGrep(query.grep) : undefined;
  const held: LogLine[] = [];
  let last: number | undefined;
  const print = (l: LogLine) => {
    if (last === undefined || l.id <= last) return;
    last = l.id;
    process.stdout.write(`${logLine(l)}\n`);
  };
  await client.subscribe(['logs.appended'], (_event, lines) => {
    for (const l of lines) {
      if ((query.process !== undefined && l.process !== query.process) || (re && !re.test(l.line))) continue;
      if (last === undefined) held.push(l);
      else print(l);
    }
  });
  return {
    startAfter(id) {
      last = id;
      held.splice(0).forEach(print);
    },
  };
}
