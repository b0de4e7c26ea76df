/** What every importer returns: a config in Sentinel's own model, and everything it could not map, said out loud. */
import type { ConfigInput } from '../config/schema';

export type ProcessInput = NonNullable<ConfigInput['processes']>[number];
export type RestartInput = NonNullable<ProcessInput['restart']>;

export interface ImportResult {
  config: ConfigInput;
  /** One line per thing that was not (exactly) mapped; written as comments on top of the YAML. */
  warnings: string[];
}

export class ImportError extends Error {
  constructor(
    readonly source: string,
    message: string,
  ) {
    super(`${source}: ${message}`);
    this.name = 'ImportError';
  }
}

/**
 * Sentinel names are letters and digits of any script plus "_", "." and "-" (config/validators.ts); anything else
 * becomes "-", so "test_öäü" stays itself and "my app" becomes "my-app".
 */
export function toProcessName(raw: string): string {
  const cleaned = raw
    .normalize('NFC')
    .replace(/[^\p{L}\p{M}\p{N}_.-]+/gu, '-')
    .replace(/^[^\p{L}\p{N}]+/u, '');
  return (cleaned || 'process').slice(0, 64).replace(/[\uD800-\uDBFF]$/, '');
}
