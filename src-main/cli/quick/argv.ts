/**
 * The calls the quick path takes: `status`, `start|stop|restart` and `logs` (without --follow) written the plain
 * way. Anything else — help, --version, an unknown or repeated option, a value that starts with "-", a second
 * argument — returns undefined and goes to the full commander program, so its messages and exit codes stay the
 * only ones. Pure.
 */
import { CONTROL_ACTIONS, type ControlAction } from '../actions/control';

interface Common {
  /** `--color` (true) / `--no-color` (false), the last one given. */
  color?: boolean;
  dataDir?: string;
  config?: string;
}

export type QuickCall = Common &
  (
    | { command: 'status'; json: boolean }
    | { command: ControlAction; name?: string; group?: string; all: boolean }
    | { command: 'logs'; name?: string; grep?: string; since?: string; lines?: string }
  );

type Spec = { flags: readonly string[]; values: readonly string[]; positional: boolean };

const LOCATION = ['--data-dir', '--config'];
const SPECS: Record<QuickCall['command'], Spec> = {
  status: { flags: ['--json'], values: LOCATION, positional: false },
  start: { flags: ['--all'], values: ['--group', ...LOCATION], positional: true },
  stop: { flags: ['--all'], values: ['--group', ...LOCATION], positional: true },
  restart: { flags: ['--all'], values: ['--group', ...LOCATION], positional: true },
  logs: { flags: [], values: ['--grep', '--since', '--lines', ...LOCATION], positional: true },
};

const isCommand = (word: string): word is QuickCall['command'] => Object.hasOwn(SPECS, word);

export function quickCall(args: readonly string[]): QuickCall | undefined {
  let command: QuickCall['command'] | undefined;
  let color: boolean | undefined;
  let name: string | undefined;
  const flags = new Set<string>();
  const values = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--color' || arg === '--no-color') {
      color = arg === '--color';
      continue;
    }
    if (command === undefined) {
      if (!isCommand(arg)) return undefined;
      command = arg;
      continue;
    }
    const spec = SPECS[command];
    if (!arg.startsWith('-') && arg !== '') {
      if (!spec.positional || name !== undefined) return undefined;
      name = arg;
      continue;
    }
    const eq = arg.indexOf('=');
    const option = eq > 0 ? arg.slice(0, eq) : arg;
    if (spec.flags.includes(option) && eq < 0) {
      if (flags.has(option)) return undefined;
      flags.add(option);
      continue;
    }
    if (!spec.values.includes(option) || values.has(option)) return undefined;
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value.startsWith('-')) return undefined;
    values.set(option, value);
  }
  if (command === undefined) return undefined;
  const common: Common = { color, dataDir: values.get('--data-dir'), config: values.get('--config') };
  if (command === 'status') return { ...common, command, json: flags.has('--json') };
  if (command === 'logs')
    return {
      ...common,
      command,
      name,
      grep: values.get('--grep'),
      since: values.get('--since'),
      lines: values.get('--lines'),
    };
  return { ...common, command, name, group: values.get('--group'), all: flags.has('--all') };
}

export const isControl = (command: QuickCall['command']): command is ControlAction =>
  (CONTROL_ACTIONS as readonly string[]).includes(command);
