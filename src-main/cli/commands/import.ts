/**
 * `sentinel import pm2|supervisord|launchd FILE…`: converts another supervisor's config to Sentinel YAML on
 * stdout (what could not be mapped exactly is listed as comments on top). Offline: nothing is applied or written.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ConfigError, formatIssue, loadConfigText } from '../../core/config/load';
import type { ImportKind, ImportResult } from '../../core/importers';
import { CliExit, usage } from '../exit';

const FORMATS = ['pm2', 'supervisord', 'launchd'] as const;

export function registerImport(program: Command): void {
  program
    .command('import <format> <files...>')
    .description(
      'convert pm2 ecosystem files, supervisord.conf files (with their [include]s) or launchd plists to one Sentinel YAML (stdout)',
    )
    .option('--env <name>', "pm2: apply each app's env_<name>, as `pm2 start FILE --env <name>`")
    .action(async (format: string, paths: string[], opts: { env?: string }) => {
      if (!(FORMATS as readonly string[]).includes(format))
        throw usage(`import: expected a format of ${FORMATS.join(', ')}, got "${format}"`);
      if (opts.env !== undefined && format !== 'pm2') throw usage('import: --env applies to pm2 ecosystem files only');
      for (const p of paths) if (!existsSync(p)) throw usage(`cannot read ${p}: no such file`);
      /** The importers (and their plist/ini parsers) load only when `import` runs: other commands start faster. */
      const importers = await import('../../core/importers');
      let result: ImportResult;
      try {
        result = importers.importFiles(
          format as ImportKind,
          paths.map((p) => resolve(p)),
          { env: opts.env },
        );
      } catch (err) {
        if (err instanceof importers.ImportError) throw new CliExit(2, err.message);
        throw err;
      }
      const yaml = importers.toYaml(result.config, result.warnings, paths.join(', '));
      try {
        loadConfigText(yaml, 'imported config');
      } catch (err) {
        // An importer bug or an input it cannot express: say what is wrong instead of printing a config that will not load.
        if (err instanceof ConfigError)
          throw new CliExit(2, ['the imported config does not validate:', ...err.issues.map(formatIssue)].join('\n'));
        throw err;
      }
      process.stdout.write(yaml);
      if (result.warnings.length > 0)
        process.stderr.write(`${result.warnings.length} item(s) not mapped exactly; see the comments at the top\n`);
    });
}
