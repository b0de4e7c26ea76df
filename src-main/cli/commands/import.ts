/**
 * `sentinel import pm2|supervisord|launchd FILE…`: converts another supervisor's config to Sentinel YAML on
 * stdout (what could not be mapped exactly is listed as comments on top). Offline: nothing is applied or written.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ConfigError, formatIssue, loadConfigText } from '../../core/config/load';
import { ImportError, importLaunchdMany, importPm2, importSupervisord, toYaml, type ImportResult } from '../../core/importers';
import { CliExit, usage } from '../exit';

const FORMATS = {
  pm2: (files: { text: string; path: string }[]) => single('pm2', files, (f) => importPm2(f.text, f.path)),
  supervisord: (files: { text: string; path: string }[]) => single('supervisord', files, (f) => importSupervisord(f.text, { file: f.path })),
  launchd: (files: { text: string; path: string }[]) => importLaunchdMany(files.map((f) => ({ xml: f.text, source: f.path }))),
} as const;
type Format = keyof typeof FORMATS;

function single(format: string, files: { text: string; path: string }[], fn: (f: { text: string; path: string }) => ImportResult): ImportResult {
  if (files.length !== 1) throw usage(`import ${format}: expected exactly one file, got ${files.length}`);
  return fn(files[0]!);
}

export function registerImport(program: Command): void {
  program
    .command('import <format> <files...>')
    .description('convert a pm2 ecosystem file, a supervisord.conf or launchd plists to Sentinel YAML (stdout)')
    .action((format: string, paths: string[]) => {
      if (!Object.hasOwn(FORMATS, format)) throw usage(`import: expected a format of ${Object.keys(FORMATS).join(', ')}, got "${format}"`);
      const files = paths.map((p) => ({ path: resolve(p), text: readInput(p) }));
      let result: ImportResult;
      try {
        result = FORMATS[format as Format](files);
      } catch (err) {
        if (err instanceof ImportError) throw new CliExit(2, err.message);
        throw err;
      }
      const yaml = toYaml(result.config, result.warnings, paths.join(', '));
      try {
        loadConfigText(yaml, 'imported config');
      } catch (err) {
        // An importer bug or an input it cannot express: say what is wrong instead of printing a config that will not load.
        if (err instanceof ConfigError) throw new CliExit(2, ['the imported config does not validate:', ...err.issues.map(formatIssue)].join('\n'));
        throw err;
      }
      process.stdout.write(yaml);
      if (result.warnings.length > 0) process.stderr.write(`${result.warnings.length} item(s) not mapped exactly; see the comments at the top\n`);
    });
}

function readInput(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw usage(`cannot read ${path}: ${(err as Error).message}`);
  }
}
