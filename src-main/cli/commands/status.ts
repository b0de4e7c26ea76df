/** `sentinel status`: the overall colour, the processes and the services (or the whole snapshot as JSON). */
import type { Command } from 'commander';
import { printJson, withClient, withLocation, type LocationOptions } from '../client';
import { outputWidth, paint } from '../style';
import { statusView } from '../views/status';

export function registerStatus(program: Command): void {
  withLocation(program.command('status'))
    .description('show the overall status, the processes (with CPU and memory) and the services')
    .option('--json', 'print the full snapshot as JSON')
    .action((opts: LocationOptions & { json?: boolean }) =>
      withClient(opts, async (client) => {
        const snapshot = await client.request('status.get');
        if (opts.json) return printJson(snapshot);
        process.stdout.write(`${statusView(snapshot, Date.now(), { c: paint(), width: outputWidth() })}\n`);
      }),
    );
}
