/** Process specs the reliability tests compose their configs from; every child carries the run's mark and its name. */
import { fileURLToPath } from 'node:url';
import type { ConfigInput } from '../../../src-main/core/config/schema';
import { MARK_VAR } from '../../../bench/lib/procfs';

type ProcessInput = NonNullable<ConfigInput['processes']>[number];

export const CHILDREN = {
  ignoreTerm: fileURLToPath(new URL('../children/ignore-term.mjs', import.meta.url)),
  chatter: fileURLToPath(new URL('../children/chatter.mjs', import.meta.url)),
  flood: fileURLToPath(new URL('../../../bench/children/flood.mjs', import.meta.url)),
};

/** The env var naming which configured process a /proc entry belongs to. */
export const NAME_VAR = 'SENTINEL_RELI_NAME';

/** A process spec with the mark and name in its env (restart at `delay` ms, no backoff, generous retries unless given). */
export function proc(
  mark: string,
  name: string,
  command: string,
  args: string[],
  extra: Partial<ProcessInput> = {},
): ProcessInput {
  return {
    name,
    command,
    args,
    ...extra,
    env: { ...(extra.env ?? {}), [MARK_VAR]: mark, [NAME_VAR]: name },
    restart: {
      policy: 'always',
      delay: 100,
      backoff: 1,
      max_retries: 1_000_000,
      start_secs: 0,
      ...(extra.restart ?? {}),
    },
  };
}

/** A shell one-liner run as /bin/sh -c (argv form, so the config itself needs no shell: true). */
export function sh(mark: string, name: string, script: string, extra: Partial<ProcessInput> = {}): ProcessInput {
  return proc(mark, name, '/bin/sh', ['-c', script], extra);
}

export function node(mark: string, name: string, script: string, extra: Partial<ProcessInput> = {}): ProcessInput {
  return proc(mark, name, process.execPath, [script], extra);
}
