/**
 * What changed between two configs, by name. config.apply and hot reload restart only what changed; a process
 * is "changed" when anything in its validated spec differs (command, env, restart policy, checks …).
 */
import { isDeepStrictEqual } from 'node:util';
import type { Config } from './schema';

export interface NamedDiff {
  added: string[];
  removed: string[];
  changed: string[];
  unchanged: string[];
}

export interface ConfigDiff {
  processes: NamedDiff;
  services: NamedDiff;
  /** Settings compared as a whole: most of them are read live, a few (api) need a restart of the daemon. */
  settingsChanged: boolean;
}

export function diffConfigs(before: Config, after: Config): ConfigDiff {
  return {
    processes: diffNamed(before.processes, after.processes),
    services: diffNamed(before.services, after.services),
    settingsChanged: !isDeepStrictEqual(before.settings, after.settings),
  };
}

/** Pure diff of two lists of named items; order within each result follows `after` (then `before` for removed). */
export function diffNamed<T extends { name: string }>(before: readonly T[], after: readonly T[]): NamedDiff {
  const old = new Map(before.map((x) => [x.name, x]));
  const now = new Set(after.map((x) => x.name));
  const out: NamedDiff = { added: [], removed: [], changed: [], unchanged: [] };
  for (const item of after) {
    const prev = old.get(item.name);
    if (prev === undefined) out.added.push(item.name);
    else if (isDeepStrictEqual(prev, item)) out.unchanged.push(item.name);
    else out.changed.push(item.name);
  }
  for (const item of before) if (!now.has(item.name)) out.removed.push(item.name);
  return out;
}
