/** The body of `sentinel status`, shared by the commander command and the quick path (no commander, no zod). */
import { printJson, type CliClient } from '../session';
import { outputWidth, paint } from '../style';
import { statusView } from '../views/status';

export async function showStatus(client: CliClient, opts: { json?: boolean }): Promise<void> {
  const snapshot = await client.request('status.get');
  if (opts.json) return printJson(snapshot);
  process.stdout.write(`${statusView(snapshot, Date.now(), { c: paint(), width: outputWidth() })}\n`);
}
