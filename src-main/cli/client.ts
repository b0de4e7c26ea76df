/**
 * The socket plumbing every client command shares: locate the data dir, connect, run, close; map "no daemon"
 * and refused requests to one clear line and an exit code.
 */
import type { Command } from 'commander';
import { NotRunningError, SocketClient } from '../api/socket-client';
import { resolvePaths } from '../core/config/paths';
import { CliExit } from './exit';
import { usingClient } from './session';

export { printJson } from './session';

export interface LocationOptions {
  dataDir?: string;
  config?: string;
}

/** Every command accepts --data-dir (and --config) after its own arguments, as scripts tend to append them. */
export function withLocation(cmd: Command): Command {
  return cmd
    .option('--data-dir <dir>', 'data directory (default: $SENTINEL_DATA_DIR or the platform default)')
    .option('--config <file>', 'config file (default: $SENTINEL_CONFIG or the platform default)');
}

export function locate(opts: LocationOptions): { configPath: string; dataDir: string } {
  return resolvePaths({ config: opts.config, dataDir: opts.dataDir });
}

export async function withClient<T>(opts: LocationOptions, fn: (client: SocketClient) => Promise<T>): Promise<T> {
  let client: SocketClient;
  try {
    client = await SocketClient.connect(locate(opts).dataDir);
  } catch (err) {
    if (err instanceof NotRunningError) throw new CliExit(1, err.message);
    throw err;
  }
  return usingClient(client, fn);
}
