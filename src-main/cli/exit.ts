/** How a CLI command ends early: a message for stderr and the exit code (1 runtime trouble, 2 bad usage/input). */
export class CliExit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'CliExit';
  }
}

export const usage = (message: string): CliExit => new CliExit(2, message);

/** Writes a command's failure to stderr and returns its exit code: CliExit's own, 1 for anything unexpected. */
export function exitCodeOf(err: unknown): number {
  if (err instanceof CliExit) {
    process.stderr.write(`${err.message}\n`);
    return err.code;
  }
  process.stderr.write(`sentinel: ${err instanceof Error ? err.message : String(err)}\n`);
  return 1;
}
