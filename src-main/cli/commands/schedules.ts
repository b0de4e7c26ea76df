/** `sentinel schedules [enable|disable NAME]`: scheduled processes with their next and last run. */
import type { Command } from 'commander';
import { printJson, withClient, withLocation, type LocationOptions } from '../client';
import { CliExit } from '../exit';
import { localTime, table } from '../format';
import { outputWidth, paint } from '../style';

export function registerSchedules(program: Command): void {
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
        const now = Date.now();
        const c = paint();
        const when = (t: number | null) => (t === null ? '-' : localTime(t, now));
        const rows = list.map((s) => [
          s.process,
          { text: s.enabled ? 'on' : 'off', paint: s.enabled ? c.green : c.dim },
          when(s.next_run),
          when(s.last_run),
          String(s.runs),
          s.description,
        ]);
        const columns = [
          { header: 'PROCESS', max: 24 },
          { header: 'ENABLED', fixed: true },
          { header: 'NEXT', fixed: true },
          { header: 'LAST', fixed: true },
          { header: 'RUNS', align: 'right' as const, fixed: true },
          { header: 'SCHEDULE' },
        ];
        process.stdout.write(`${table(columns, rows, { c, width: outputWidth() })}\n`);
      });
    });
}
