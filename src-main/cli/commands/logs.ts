/** `sentinel logs [NAME] [-f] [--grep RE] [--since 10m] [--lines N]`. */
import type { Command } from 'commander';
import { logsQuery, showLogs, type LogsOptions } from '../actions/logs';
import { withClient, withLocation, type LocationOptions } from '../client';

export function registerLogs(program: Command): void {
  withLocation(program.command('logs [name]'))
    .description('show captured output (all processes, or one)')
    .option('-f, --follow', 'keep printing new lines')
    .option('--grep <regexp>', 'only lines matching this regular expression')
    .option('--since <duration>', 'only lines newer than this, e.g. 10m')
    .option('--lines <n>', 'how many recent lines (default 100)')
    .action((name: string | undefined, opts: LocationOptions & LogsOptions) => {
      const query = logsQuery(name, opts, Date.now());
      return withClient(opts, (client) => showLogs(client, query, opts.follow === true));
    });
}
