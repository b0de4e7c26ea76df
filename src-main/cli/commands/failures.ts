/** `sentinel failures`, `sentinel report ID`, `sentinel stats`: the failure history and what it adds up to. */
import type { Command } from 'commander';
import { formatDuration } from '../../core/util/duration';
import { printJson, withClient, withLocation, type LocationOptions } from '../client';
import { usage } from '../exit';
import { table } from '../format';

export function positiveInt(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw usage(`${what}: expected a positive whole number, got "${text}"`);
  return n;
}

export function registerFailures(program: Command): void {
  withLocation(program.command('failures'))
    .description('list recorded failures, newest first')
    .option('--service <name>', 'only this service or process')
    .option('--limit <n>', 'how many (default 50)')
    .option('--json', 'print JSON')
    .action((opts: LocationOptions & { service?: string; limit?: string; json?: boolean }) => {
      const input = {
        limit: opts.limit === undefined ? 50 : positiveInt(opts.limit, '--limit'),
        offset: 0,
        ...(opts.service ? { service: opts.service } : {}),
      };
      return withClient(opts, async (client) => {
        const page = await client.request('failures.list', input);
        if (opts.json) return printJson(page);
        if (page.items.length === 0) return void process.stdout.write('no failures recorded\n');
        const rows = page.items.map((f) => [
          String(f.id),
          new Date(f.started_at).toISOString(),
          f.service,
          f.kind,
          f.outcome ?? (f.recovered_at ? 'recovered' : 'open'),
          f.reason,
        ]);
        process.stdout.write(
          `${table([['ID', 'STARTED', 'SERVICE', 'KIND', 'OUTCOME', 'REASON'], ...rows])}\n${page.items.length} of ${page.total}\n`,
        );
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
    .option('--json', 'print JSON')
    .action((opts: LocationOptions & { service?: string; json?: boolean }) =>
      withClient(opts, async (client) => {
        const stats = await client.request('stats.get', opts.service ? { service: opts.service } : {});
        if (opts.json) return printJson(stats);
        const ms = (v: number | null) => (v === null ? '-' : formatDuration(v));
        const top = stats.top_kinds.map((k) => `${k.kind} (${k.count})`).join(', ') || '-';
        process.stdout.write(
          `failures: ${stats.total}\nMTBF: ${ms(stats.mtbf_ms)}\nMTTR: ${ms(stats.mttr_ms)}\ntop kinds: ${top}\n`,
        );
      }),
    );
}
