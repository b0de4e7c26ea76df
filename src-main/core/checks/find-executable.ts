/** Finds a tool the way a shell would: a path is taken as is, a bare name is looked up on PATH. */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

export function findExecutable(nameOrPath: string, path: string = process.env.PATH ?? ''): string | null {
  if (nameOrPath.includes('/')) return isAbsolute(nameOrPath) && isExecutableFile(nameOrPath) ? nameOrPath : null;
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, nameOrPath);
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
