/** `sentinel failures`, `sentinel report ID`, `sentinel stats`: the failure history and what it adds up to. */
import type { Command } from 'commander';
import { printJson, withClient, withLocation, type LocationOptions } from '../client';
import { countOption, positiveInt, sinceOption } from '../options';
import { outputWidth, paint } from '../style';
import { failuresView } from '../views/failures';
import { statsView } from '../views/stats';

interface FailuresOptions extends LocationOptions {
  service?: string;
  since?: string;
  limit?: string;
  json?: boolean;
}

/** Pure: validates the options into a failures.list input; bad values are usage errors naming the option. */
export function failuresQuery(
  opts: FailuresOptions,
  now: number,
): { limit: number; offset: number; service?: string; since?: number } {
  return {
    limit: opts.limit === undefined ? 50 : countOption(opts.limit, '--limit', 500),
    offset: 0,
    ...(opts.service ? { service: opts.service } : {}),
    ...(opts.since !== undefined ? { since: sinceOption(opts.since, now) } : {}),
  };
}

export function registerFailures(program: Command): void {
  withLocation(program.command('failures'))
    .description('list recorded failures, newest first')
    .option('--service <name>', 'only this service or process')
    .option('--since <duration>', 'only failures that started within this long, e.g. 30m, 24h, 7d')
    .option('--limit <n>', 'how many (default 50, at most 500)')
    .option('--json', 'print JSON')
    .action((opts: FailuresOptions) => {
      const input = failuresQuery(opts, Date.now());
      return withClient(opts, async (client) => {
        const page = await client.request('failures.list', input);
        if (opts.json) return printJson(page);
        const view = failuresView(page, { now: Date.now(), width: outputWidth(), c: paint() });
        process.stdout.write(`${view}\n`);
      });
    });

  withLocation(program.command('report <id>'))
    .description('print the bug report (markdown) of a failure')
    .action((id: string, opts: LocationOptions) => {
      const failure = positiveInt(id, 'ID');
      return withClient(opts, async (client) => {
        const { markdown } = await client.request('failures.report', { id: failure });
        process.stdout.write(`${markdown}\n`);
      });
    });

  withLocation(program.command('stats'))
    .description('failure statistics: by hour and weekday, MTBF, MTTR, top kinds')
    .option('--service <name>', 'only this service or process')
    .option('--since <duration>', 'only failures that started within this long, e.g. 24h, 7d, 4w')
    .option('--json', 'print JSON')
    .action((opts: LocationOptions & { service?: string; since?: string; json?: boolean }) => {
      const input = {
        ...(opts.service ? { service: opts.service } : {}),
        ...(opts.since !== undefined ? { since: sinceOption(opts.since, Date.now()) } : {}),
      };
      return withClient(opts, async (client) => {
        const stats = await client.request('stats.get', input);
        if (opts.json) return printJson(stats);
        process.stdout.write(`${statsView(stats, { now: Date.now(), width: outputWidth(), c: paint() })}\n`);
      });
    });
}
