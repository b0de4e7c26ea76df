/**
 * Runs a quick call (quick/argv.ts) with the same command bodies as the full program (actions/), over the small
 * client. Returns the exit code, or undefined when the daemon could not be reached: the full program then runs the
 * call and says why, in its own words.
 */
import { resolvePaths } from '../../core/config/paths';
import { control, targetOf } from '../actions/control';
import { logsQuery, showLogs } from '../actions/logs';
import { showStatus } from '../actions/status';
import { exitCodeOf } from '../exit';
import { usingClient } from '../session';
import { colorWanted, useColor } from '../style';
import { isControl, type QuickCall } from './argv';
import { QuickClient } from './client';

export async function runQuick(call: QuickCall): Promise<number | undefined> {
  try {
    useColor(colorWanted({ flag: call.color, env: process.env, isTTY: process.stdout.isTTY === true }));
    // Usage errors come before connecting, as in the full program.
    let body: (client: QuickClient) => Promise<void>;
    if (call.command === 'status') body = (client) => showStatus(client, call);
    else if (call.command === 'logs') {
      const query = logsQuery(call.name, call, Date.now());
      body = (client) => showLogs(client, query, false);
    } else if (isControl(call.command)) {
      const action = call.command;
      const target = targetOf(call.name, call as { group?: string; all?: boolean });
      body = (client) => control(client, action, target);
    } else return undefined;
    const client = await QuickClient.connect(resolvePaths({ config: call.config, dataDir: call.dataDir }).dataDir);
    if (!client) return undefined;
    await usingClient(client, body);
    return 0;
  } catch (err) {
    return exitCodeOf(err);
  }
}
