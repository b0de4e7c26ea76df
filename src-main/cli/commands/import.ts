/**
 * `sentinel import pm2|supervisord|launchd FILE…`: converts another supervisor's config to Sentinel YAML on
 * stdout (what could not be mapped exactly is listed as comments on top). Offline: nothing is applied or written.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ConfigError, formatIssue, loadConfigText } from '../../core/config/load';
import type { ImportResult } from '../../core/importers';
import { CliExit, usage } from '../exit';

type Files = { text: string; path: string }[];
/** The importers (and their plist/ini parsers) load only when `import` runs: other commands start faster. */
type Importers = typeof import('../../core/importers');
const FORMATS = {
  pm2: (m: Importers, files: Files) => single('pm2', files, (f) => m.importPm2(f.text, f.path)),
  supervisord: (m: Importers, files: Files) =>
    single('supervisord', files, (f) => m.importSupervisord(f.text, { file: f.path })),
  launchd: (m: Importers, files: Files) => m.importLaunchdMany(files.map((f) => ({ xml: f.text, source: f.path }))),
} as const;
type Format = keyof typeof FORMATS;

function single(
  format: string,
  files: { text: string; path: string }[],
  fn: (f: { text: string; path: string }) => ImportResult,
): ImportResult {
  if (files.length !== 1) throw usage(`import ${format}: expected exactly one file, got ${files.length}`);
  return fn(files[0]!);
}

export function registerImport(program: Command): void {
  program
    .command('import <format> <files...>')
    .description('convert a pm2 ecosystem file, a supervisord.conf or launchd plists to Sentinel YAML (stdout)')
    .action(async (format: string, paths: string[]) => {
      if (!Object.hasOwn(FORMATS, format))
        throw usage(`import: expected a format of ${Object.keys(FORMATS).join(', ')}, got "${format}"`);
      const files = paths.map((p) => ({ path: resolve(p), text: readInput(p) }));
      const importers = await import('../../core/importers');
      let result: ImportResult;
      try {
        result = FORMATS[format as Format](importers, files);
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

function readInput(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw usage(`cannot read ${path}: ${(err as Error).message}`);
  }
}
