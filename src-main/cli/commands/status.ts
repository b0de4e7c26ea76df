/** `sentinel status`: the overall colour, the processes and the services (or the whole snapshot as JSON). */
import type { Command } from 'commander';
import { showStatus } from '../actions/status';
import { withClient, withLocation, type LocationOptions } from '../client';

export function registerStatus(program: Command): void {
  withLocation(program.command('status'))
    .description('show the overall status, the processes (with CPU and memory) and the services')
    .option('--json', 'print the full snapshot as JSON')
    .action((opts: LocationOptions & { json?: boolean }) => withClient(opts, (client) => showStatus(client, opts)));
}
