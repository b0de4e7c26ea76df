/** `sentinel start|stop|restart [NAME] [--group G] [--all]`. */
import type { Command } from 'commander';
import type { Target } from '../../shared/contract';
import { withClient, withLocation, type LocationOptions } from '../client';
import { usage } from '../exit';

type TargetOptions = LocationOptions & { group?: string; all?: boolean };

/** Exactly one of NAME, --group or --all: a bare `sentinel stop` must not silently mean "everything". */
export function targetOf(name: string | undefined, opts: { group?: string; all?: boolean }): Target {
  const given = [name !== undefined, opts.group !== undefined, opts.all === true].filter(Boolean).length;
  if (given !== 1) throw usage('expected exactly one of NAME, --group G or --all');
  if (name !== undefined) return { name };
  if (opts.group !== undefined) return { group: opts.group };
  return { all: true };
}

export function registerControl(program: Command): void {
  for (const action of ['start', 'stop', 'restart'] as const) {
    withLocation(program.command(`${action} [name]`))
      .description(`${action} a process, a group or all`)
      .option('--group <group>', 'every process of this group')
      .option('--all', 'every process')
      .action((name: string | undefined, opts: TargetOptions) => {
        const target = targetOf(name, opts);
        return withClient(opts, async (client) => {
          const { affected } = await client.request(`processes.${action}`, target);
          process.stdout.write(`${action}: ${affected.join(', ') || '(none)'}\n`);
        });
      });
  }
}
