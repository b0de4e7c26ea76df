/**
 * The `sentinel` command (bundled to dist/main/cli.cjs). The everyday client calls — status, start/stop/restart,
 * logs — take the quick path: no commander program, no zod, no store, so `sentinel status` costs little more than
 * starting Node. Everything else, and every call the quick path does not recognise word for word, loads the full
 * program (program.ts), which stays the one place for help, usage errors and "not running" messages.
 */
import { preferInterpreter } from '../host/interpreter-only';
import { quickCall } from './quick/argv';

async function run(argv: string[]): Promise<number> {
  // The daemon: V8 flags before anything else is compiled (host/interpreter-only.ts).
  if (argv[2] === 'run') await preferInterpreter();
  const call = quickCall(argv.slice(2));
  if (call) {
    const code = await (await import('./quick/run')).runQuick(call);
    if (code !== undefined) return code;
  }
  return (await import('./program')).main(argv);
}

void run(process.argv).then((code) => {
  process.exitCode = code;
});
