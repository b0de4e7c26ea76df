/** `sentinel check` (force a round of checks) and `sentinel schedules [enable|disable NAME]`. */
import type { Command } from 'commander';
import { printJson, withClient, withLocation, type LocationOptions } from '../client';
import { CliExit } from '../exit';
import { table } from '../format';

export function registerChecks(program: Command): void {
  withLocation(program.command('check'))
    .description('run every check now and print the resulting status')
    .option('--json', 'print JSON')
    .action((opts: LocationOptions & { json?: boolean }) =>
      withClient(opts, async (client) => {
        const status = await client.request('checks.run');
        if (opts.json) return printJson(status);
        const rows = status.services.map((s) => [s.name, s.status, s.reason]);
        process.stdout.write(
          `overall: ${status.status} (${status.reason})\n${rows.length ? `${table([['SERVICE', 'STATUS', 'REASON'], ...rows])}\n` : ''}`,
        );
      }),
    );

  withLocation(program.command('schedules [action] [name]'))
    .description('list scheduled processes with their next and last run; `enable NAME` / `disable NAME` at runtime')
    .option('--json', 'print JSON')
    .action((action: string | undefined, name: string | undefined, opts: LocationOptions & { json?: boolean }) => {
      if (action !== undefined && (!['enable', 'disable'].includes(action) || name === undefined)) {
        throw new CliExit(2, 'schedules: expected `schedules`, `schedules enable NAME` or `schedules disable NAME`');
      }
      return withClient(opts, async (client) => {
        if (action !== undefined) {
          await client.request('schedules.set', { process: name!, enabled: action === 'enable' });
          return void process.stdout.write(`schedule of ${name}: ${action}d\n`);
        }
        const list = await client.request('schedules.list');
        if (opts.json) return printJson(list);
        if (list.length === 0) return void process.stdout.write('no schedules\n');
        const when = (t: number | null) => (t === null ? '-' : new Date(t).toISOString());
        const rows = list.map((s) => [
          s.process,
          s.description,
          s.enabled ? 'on' : 'off',
          when(s.next_run),
          when(s.last_run),
          String(s.runs),
        ]);
        process.stdout.write(`${table([['PROCESS', 'SCHEDULE', 'ENABLED', 'NEXT', 'LAST', 'RUNS'], ...rows])}\n`);
      });
    });
}
