/** The body of `sentinel start|stop|restart`, shared by the commander command and the quick path. */
import type { Target } from '../../shared/contract';
import { usage } from '../exit';
import type { CliClient } from '../session';

export const CONTROL_ACTIONS = ['start', 'stop', 'restart'] as const;
export type ControlAction = (typeof CONTROL_ACTIONS)[number];

/** Exactly one of NAME, --group or --all: a bare `sentinel stop` must not silently mean "everything". */
export function targetOf(name: string | undefined, opts: { group?: string; all?: boolean }): Target {
  const given = [name !== undefined, opts.group !== undefined, opts.all === true].filter(Boolean).length;
  if (given !== 1) throw usage('expected exactly one of NAME, --group G or --all');
  if (name !== undefined) return { name };
  if (opts.group !== undefined) return { group: opts.group };
  return { all: true };
}

export async function control(client: CliClient, action: ControlAction, target: Target): Promise<void> {
  const { affected } = await client.request(`processes.${action}`, target);
  process.stdout.write(`${action}: ${affected.join(', ') || '(none)'}\n`);
}
