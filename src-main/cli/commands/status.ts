/** `sentinel status`: the processes as a table (or the whole snapshot as JSON). */
import type { Command } from 'commander';
import { printJson, withClient, withLocation, type LocationOptions } from '../client';
import { statusTable } from '../format';

export function registerStatus(program: Command): void {
  withLocation(program.command('status'))
    .description('show the processes and the overall status')
    .option('--json', 'print the full snapshot as JSON')
    .action((opts: LocationOptions & { json?: boolean }) =>
      withClient(opts, async (client) => {
        const snapshot = await client.request('status.get');
        if (opts.json) return printJson(snapshot);
        process.stdout.write(
          `overall: ${snapshot.overall.status} (${snapshot.overall.reason})\n${statusTable(snapshot.processes, Date.now())}\n`,
        );
      }),
    );
}
