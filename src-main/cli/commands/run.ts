/** `sentinel run`: the supervisor in the foreground until SIGINT/SIGTERM. */
import type { Command } from 'commander';
import { ConfigError, formatIssue } from '../../core/config/load';
import { locate, withLocation, type LocationOptions } from '../client';
import { CliExit } from '../exit';

export function registerRun(program: Command): void {
  withLocation(program.command('run'))
    .description('run the supervisor in the foreground')
    .option('--headless', 'no windows (the CLI daemon never opens any; accepted for symmetry with npm start)')
    .action(async (opts: LocationOptions) => {
      const { configPath, dataDir } = locate(opts);
      // The daemon (fastify, prom-client, electron-log …) loads only for `run`: client commands start faster.
      const { runDaemon, untilSignal } = await import('../run');
      let host;
      try {
        host = await runDaemon({ configPath, dataDir }, (line) => process.stdout.write(`${line}\n`));
      } catch (err) {
        if (err instanceof ConfigError)
          throw new CliExit(2, [`invalid config ${err.source}:`, ...err.issues.map(formatIssue)].join('\n'));
        throw new CliExit(1, `sentinel could not start: ${(err as Error).message}`);
      }
      await untilSignal(host);
    });
}
