/** `sentinel start|stop|restart [NAME] [--group G] [--all]`. */
import type { Command } from 'commander';
import { CONTROL_ACTIONS, control, targetOf } from '../actions/control';
import { withClient, withLocation, type LocationOptions } from '../client';

type TargetOptions = LocationOptions & { group?: string; all?: boolean };

export function registerControl(program: Command): void {
  for (const action of CONTROL_ACTIONS) {
    withLocation(program.command(`${action} [name]`))
      .description(`${action} a process, a group or all`)
      .option('--group <group>', 'every process of this group')
      .option('--all', 'every process')
      .action((name: string | undefined, opts: TargetOptions) => {
        const target = targetOf(name, opts);
        return withClient(opts, (client) => control(client, action, target));
      });
  }
}
