import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Reads test/fixtures/<platform>/<name>. */
export function fixture(platform: 'darwin' | 'linux', name: string): string {
  return readFileSync(join(__dirname, '..', 'fixtures', platform, name), 'utf8');
}
