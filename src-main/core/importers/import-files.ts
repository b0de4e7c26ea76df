/** `sentinel import pm2|supervisord|launchd <files…>`: reads the files and runs the matching importer. */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ImportError, type ImportResult } from './import-result';
import { importLaunchdMany } from './launchd';
import { importPm2 } from './pm2';
import { importSupervisord } from './supervisord';

export const IMPORT_KINDS = ['pm2', 'supervisord', 'launchd'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ImportError(file, `cannot read the file: ${(err as Error).message}`);
  }
}

/** pm2 and supervisord take one file; launchd takes one plist per job. */
export function importFiles(kind: ImportKind, files: readonly string[]): ImportResult {
  if (files.length === 0) throw new ImportError(kind, 'expected at least one file');
  if (kind !== 'launchd' && files.length > 1) throw new ImportError(kind, `expected one file, got ${files.length}`);
  switch (kind) {
    case 'pm2':
      return importPm2(readText(files[0]!), basename(files[0]!));
    case 'supervisord':
      return importSupervisord(readText(files[0]!), { file: files[0]! });
    case 'launchd':
      return importLaunchdMany(files.map((f) => ({ xml: readText(f), source: basename(f) })));
  }
}
