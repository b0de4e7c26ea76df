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
      const { runDaemon } = await import('../run');
      let daemon;
      try {
        daemon = await runDaemon({ configPath, dataDir });
      } catch (err) {
        if (err instanceof ConfigError)
          throw new CliExit(2, [`invalid config ${err.source}:`, ...err.issues.map(formatIssue)].join('\n'));
        throw new CliExit(1, `sentinel could not start: ${(err as Error).message}`);
      }
      // A stray rejected promise in some subsystem is logged, not fatal: every child would lose its supervisor.
      // (An uncaught exception still ends the process; the next start reconciles what it left.)
      process.on('unhandledRejection', (reason) =>
        daemon.sentinel.logger.error('unhandled rejection', {
          error: reason instanceof Error ? (reason.stack ?? reason.message) : String(reason),
        }),
      );
      process.stdout.write(`sentinel running (pid ${process.pid}): windows at ${daemon.windowsUrl}\n`);
      await new Promise<void>((resolve) => {
        const stop = (signal: NodeJS.Signals) => {
          daemon.sentinel.logger.info('stopping', { signal });
          resolve();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await daemon.close();
    });
}
