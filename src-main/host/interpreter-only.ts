/**
 * The process that hosts the core (`sentinel run`, headless `npm start`, the app's main process) runs all day and
 * is idle nearly all of it. Its JavaScript is glue around syscalls and SQLite, where V8's compiled tiers gain
 * little, while the compilers' own code pages and the machine code they leave behind stay resident. With V8's
 * interpreter only (`--max-opt=0`) an idle daemon with 50 children holds about 8 MB less (docs/benchmarks.md,
 * session 6, with the log, crash and status figures measured the same way).
 *
 * Set at run time, before the host loads: tests that open a host inside their own process keep V8's defaults.
 * A `--max-opt` given to node (command line or NODE_OPTIONS) wins, to profile or compare.
 */

/**
 * True when V8 was told to stay in its interpreter; false when node's own flags already chose a tier. `node:v8` is
 * imported only here, when called: the `sentinel` client calls share the entry with the daemon and never need it.
 */
export async function preferInterpreter(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string = process.env.NODE_OPTIONS ?? '',
  setFlags?: (flags: string) => void,
): Promise<boolean> {
  if ([...execArgv, nodeOptions].some((arg) => /--max[-_]opt\b/.test(arg))) return false;
  (setFlags ?? (await import('node:v8')).setFlagsFromString)('--max-opt=0');
  return true;
}
