/** `sentinel config validate FILE | export | apply FILE`. validate works offline and writes nothing. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ConfigError, formatIssue, loadConfigFile } from '../../core/config/load';
import { printJson, withClient, withLocation, type LocationOptions } from '../client';
import { CliExit, usage } from '../exit';

export function registerConfig(program: Command): void {
  const config = program.command('config').description('validate, export or apply a config');

  config
    .command('validate <file>')
    .description('check a config file; exit 0 when valid, 2 with one line per problem')
    .action((file: string) => {
      try {
        const parsed = loadConfigFile(file);
        process.stdout.write(
          `${file}: valid (${parsed.processes.length} processes, ${parsed.services.length} services)\n`,
        );
      } catch (err) {
        if (err instanceof ConfigError)
          throw new CliExit(2, err.issues.map((i) => `${file}: ${formatIssue(i)}`).join('\n'));
        throw err;
      }
    });

  withLocation(config.command('export'))
    .description("print the running daemon's config YAML")
    .action((opts: LocationOptions) =>
      withClient(opts, async (client) => {
        const { yaml } = await client.request('config.get');
        process.stdout.write(yaml.endsWith('\n') ? yaml : `${yaml}\n`);
      }),
    );

  withLocation(config.command('apply <file>'))
    .description('apply a config file to the running daemon (only changed processes restart)')
    .option('--dry-run', 'only show what would change')
    .action((file: string, opts: LocationOptions & { dryRun?: boolean }) => {
      let yaml: string;
      try {
        yaml = readFileSync(file, 'utf8');
      } catch (err) {
        throw usage(`cannot read ${file}: ${(err as Error).message}`);
      }
      return withClient(opts, async (client) =>
        printJson(await client.request('config.apply', { yaml, dry_run: opts.dryRun === true })),
      );
    });
}
