/**
 * The `sentinel` command (bundled to dist/main/cli.js). Exit codes: 0 done, 1 runtime trouble (no daemon, a
 * refused request), 2 bad usage or an invalid config.
 */
import { Command, CommanderError } from 'commander';
import pkg from '../../package.json';
import { registerAlert } from './commands/alert';
import { registerChecks } from './commands/checks';
import { registerConfig } from './commands/config';
import { registerControl } from './commands/control';
import { registerFailures } from './commands/failures';
import { registerImport } from './commands/import';
import { registerLogs } from './commands/logs';
import { registerRun } from './commands/run';
import { registerSchedules } from './commands/schedules';
import { registerService } from './commands/service';
import { registerStatus } from './commands/status';
import { CliExit } from './exit';
import { colorWanted, useColor } from './style';

export function buildProgram(): Command {
  const program = new Command('sentinel')
    .description('keeps processes and services alive, checks their health, remembers every failure')
    .version(pkg.version)
    .option('--color', 'colour even when stdout is not a terminal (also FORCE_COLOR=1)')
    .option('--no-color', 'no colour (also NO_COLOR=1)')
    // Before the commands are added, so every subcommand inherits them (and its help lists --no-color).
    .exitOverride()
    .configureHelp({ showGlobalOptions: true })
    // Program options are accepted before or after the command (`sentinel status --no-color`).
    .hook('preAction', (root) => {
      const flag = (root.opts() as { color?: boolean }).color;
      useColor(colorWanted({ flag, env: process.env, isTTY: process.stdout.isTTY === true }));
    });
  for (const register of [
    registerRun,
    registerStatus,
    registerControl,
    registerLogs,
    registerConfig,
    registerFailures,
    registerChecks,
    registerSchedules,
    registerImport,
    registerService,
    registerAlert,
  ])
    register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CliExit) {
      process.stderr.write(`${err.message}\n`);
      return err.code;
    }
    if (err instanceof CommanderError) {
      // Commander already printed its message; help and --version are successes.
      return err.exitCode === 0 ? 0 : 2;
    }
    process.stderr.write(`sentinel: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv);
