/** Resolves an API Target ({name} | {group} | {all}) to process names, refusing names and groups nobody has. */
import type { Target } from '../../shared/contract';
import { SentinelError } from '../../shared/errors';

export interface NameSource {
  names(): string[];
  groupMembers(group: string): string[];
}

export function resolveTarget(target: Target, source: NameSource): string[] {
  if ('name' in target) {
    if (!source.names().includes(target.name))
      throw new SentinelError('not_found', `no process named "${target.name}"`, 'name');
    return [target.name];
  }
  if ('group' in target) {
    const members = source.groupMembers(target.group);
    if (members.length === 0) throw new SentinelError('not_found', `no process in group "${target.group}"`, 'group');
    return members;
  }
  return source.names();
}
