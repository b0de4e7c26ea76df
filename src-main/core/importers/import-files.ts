/**
 * `sentinel import pm2|supervisord|launchd <files…>`: reads the files and runs the matching importer. Several
 * files make one config: supervisord files are read together (so a [group:] can name programs from another file,
 * and [include]s are followed), PM2 ecosystem files and launchd plists are imported one by one and joined.
 * A name used twice across files gets a suffix, with a warning.
 */
import { readFileSync } from 'node:fs';
import { ImportError, type ImportResult, type ProcessInput } from './import-result';
import { importLaunchd } from './launchd';
import { importPm2File } from './pm2';
import { importSupervisordFiles } from './supervisord';

export type ImportKind = 'pm2' | 'supervisord' | 'launchd';

export interface ImportOptions {
  /** pm2: apply `env_NAME` (as `pm2 start file --env NAME`). */
  env?: string;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ImportError(file, `cannot read the file: ${(err as Error).message}`);
  }
}

export function importFiles(kind: ImportKind, files: readonly string[], opts: ImportOptions = {}): ImportResult {
  if (files.length === 0) throw new ImportError(kind, 'expected at least one file');
  if (opts.env !== undefined && kind !== 'pm2')
    throw new ImportError(kind, '--env applies to pm2 ecosystem files only');
  switch (kind) {
    case 'pm2':
      return joinResults(files.map((f) => importPm2File(f, readText(f), { env: opts.env })));
    case 'supervisord':
      return importSupervisordFiles(files);
    case 'launchd':
      return joinResults(files.map((f) => importLaunchd(readText(f), f)));
  }
}

/** Several results as one config; a name taken by an earlier file gets "-2", "-3" … and a warning. */
export function joinResults(results: readonly ImportResult[]): ImportResult {
  const taken = new Set<string>();
  const warnings: string[] = [];
  const processes: ProcessInput[] = [];
  for (const r of results) {
    warnings.push(...r.warnings);
    for (const p of r.config.processes ?? []) {
      let name = p.name;
      for (let i = 2; taken.has(name); i++) name = `${p.name.slice(0, 60)}-${i}`;
      if (name !== p.name) warnings.push(`${p.name}: the name is used by another file; renamed to ${name}`);
      taken.add(name);
      processes.push(name === p.name ? p : { ...p, name });
    }
  }
  return { config: { version: 1, processes }, warnings };
}
