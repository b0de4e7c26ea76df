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

/** Sentinel names are `[A-Za-z0-9][A-Za-z0-9_.-]{0,63}`; other characters become "-". */
export function toProcessName(raw: string): string {
  const cleaned = raw.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return (cleaned || 'process').slice(0, 64);
}
