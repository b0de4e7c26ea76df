/**
 * `sentinel alert test [CHANNEL]`: a test alert to one channel or every enabled one, through the running daemon
 * (recorded in its store) or, when none runs, straight from the config file (so channels can be tried before the
 * first `sentinel run`). Exit 1 when a channel did not get it.
 */
import type { Command } from 'commander';
import type { AlertTestResult } from '../../shared/contract';
import { NotRunningError, SocketClient } from '../../api/socket-client';
import { ConfigError, formatIssue, loadConfigFile } from '../../core/config/load';
import { Alerting } from '../../core/sentinel/alerting';
import { openDb } from '../../core/store/db';
import { silentLogger } from '../../core/util/logger';
import { locate, printJson, withLocation, type LocationOptions } from '../client';
import { CliExit } from '../exit';
import { table } from '../format';
import { SentinelError } from '../../shared/errors';

async function viaDaemon(dataDir: string, channel?: string): Promise<AlertTestResult[] | null> {
  let client: SocketClient;
  try {
    client = await SocketClient.connect(dataDir);
  } catch (err) {
    if (err instanceof NotRunningError) return null;
    throw err;
  }
  try {
    return (await client.request('alerts.test', channel === undefined ? {} : { channel })).results;
  } catch (err) {
    if (err instanceof SentinelError) throw new CliExit(err.code === 'bad_request' ? 2 : 1, `error: ${err.message}`);
    throw err;
  } finally {
    client.close();
  }
}

async function direct(configPath: string, channel?: string): Promise<AlertTestResult[]> {
  let config;
  try {
    config = loadConfigFile(configPath);
  } catch (err) {
    if (err instanceof ConfigError)
      throw new CliExit(2, [`invalid config ${err.source}:`, ...err.issues.map(formatIssue)].join('\n'));
    throw err;
  }
  const db = openDb(':memory:');
  const alerting = new Alerting({
    db,
    config: () => config,
    logger: silentLogger,
    now: Date.now,
    storeError: () => null,
    showDesktop: () => false,
  });
  try {
    return await alerting.test(channel);
  } catch (err) {
    if (err instanceof SentinelError) throw new CliExit(1, `error: ${err.message}`);
    throw err;
  } finally {
    await alerting.close();
    db.close();
  }
}

export function registerAlert(program: Command): void {
  const alert = program.command('alert').description('alerts: try the channels of the config');
  withLocation(alert.command('test [channel]'))
    .description('send a test alert to CHANNEL (default: every enabled channel)')
    .option('--json', 'print JSON')
    .action(async (channel: string | undefined, opts: LocationOptions & { json?: boolean }) => {
      const { dataDir, configPath } = locate(opts);
      const daemon = await viaDaemon(dataDir, channel);
      const results = daemon ?? (await direct(configPath, channel));
      if (opts.json) printJson(results);
      else {
        const rows = results.map((r) => [r.channel, r.ok ? 'sent' : 'FAILED', r.detail, r.target]);
        const via = daemon ? '' : `(no sentinel running: sent from ${configPath}, not recorded)\n`;
        const columns = [
          { header: 'CHANNEL' },
          { header: 'RESULT' },
          { header: 'DETAIL', max: 40 },
          { header: 'TARGET' },
        ];
        process.stdout.write(`${via}${table(columns, rows, { width: 100 })}\n`);
      }
      if (results.some((r) => !r.ok)) throw new CliExit(1, 'some channels did not get the test alert');
    });
}
