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
