/**
 * The floor of the crash scenario: the least a Node supervisor can do — spawn the program with piped output (as
 * every peer captures it) and, on its exit, spawn it again at once. No store, no state machine, no events.
 * argv: the command and its arguments; RESPAWN_TIMES: how many restarts before it exits.
 */
import { spawn } from 'node:child_process';

const [command, ...args] = process.argv.slice(2);
let left = Number(process.env.RESPAWN_TIMES ?? '1000');
const run = () => {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.resume();
  child.stderr.resume();
  child.on('exit', () => (left-- > 0 ? run() : process.exit(0)));
};
run();
