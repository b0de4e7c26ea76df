/** `sentinel check`: force a round of checks and print the resulting status. */
import type { Command } from 'commander';
import { printJson, withClient, withLocation, type LocationOptions } from '../client';
import { outputWidth, paint } from '../style';
import { overallLines, servicesTable } from '../views/status';

export function registerChecks(program: Command): void {
  withLocation(program.command('check'))
    .description('run every check now and print the resulting status')
    .option('--json', 'print JSON')
    .action((opts: LocationOptions & { json?: boolean }) =>
      withClient(opts, async (client) => {
        const status = await client.request('checks.run');
        if (opts.json) return printJson(status);
        const c = paint();
        const lines = overallLines(status, c);
        if (status.services.length > 0) lines.push('', servicesTable(status.services, { c, width: outputWidth() }));
        process.stdout.write(`${lines.join('\n')}\n`);
      }),
    );
}
