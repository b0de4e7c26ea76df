/**
 * Colour for the CLI: whether to use it (a pure decision, table-tested) and the palette the views paint with.
 *
 * picocolors, not node's util.styleText: its `createColors(enabled)` makes colour an explicit switch the views
 * receive, so every view renders the same text with or without escapes; util.styleText decides by itself from the
 * stream and environment, and how it decides changed within Node 20 (our engines start at 20.19). picocolors is
 * one small file with no dependencies, so `sentinel status` starts no slower.
 */
import pc from 'picocolors';
import type { ServiceColor } from '../shared/contract';

export type Colors = ReturnType<typeof pc.createColors>;

export interface ColorInputs {
  /** `--color` (true) or `--no-color` (false); undefined when neither was given. */
  flag: boolean | undefined;
  env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is a terminal. */
  isTTY: boolean;
}

/**
 * The flag wins; then FORCE_COLOR (any value but "0"/"false" turns colour on, also when piped); then NO_COLOR
 * (present and not empty turns it off, as no-color.org says); otherwise colour on a terminal that is not "dumb".
 */
export function colorWanted({ flag, env, isTTY }: ColorInputs): boolean {
  if (flag !== undefined) return flag;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !['0', 'false'].includes(force.trim().toLowerCase());
  if (env.NO_COLOR) return false;
  return isTTY && env.TERM !== 'dumb';
}

export const colors = (enabled: boolean): Colors => pc.createColors(enabled);

/** Plain text: what the views render when colour is off (and in the tests of their layout). */
export const plain: Colors = colors(false);

let current: Colors = plain;

/** Set once per command, before its action runs (main.ts decides from the flags, environment and stdout). */
export function useColor(enabled: boolean): void {
  current = colors(enabled);
}

/** The colours the running command paints with. */
export const paint = (): Colors => current;

/** Columns a table may use: the terminal's width, at most 100 (also when piped; --json has everything). */
export function outputWidth(stdout: { isTTY?: boolean; columns?: number } = process.stdout): number {
  return stdout.isTTY && stdout.columns ? Math.min(stdout.columns, MAX_WIDTH) : MAX_WIDTH;
}
export const MAX_WIDTH = 100;

/** A service's or process's health colour, painted in that colour (the word stays, so it reads without colour). */
export function paintHealth(c: Colors, status: ServiceColor, text: string = status): string {
  switch (status) {
    case 'green':
      return c.green(text);
    case 'yellow':
      return c.yellow(text);
    case 'red':
      return c.red(c.bold(text));
    default:
      return c.dim(text);
  }
}

/**
 * Colours that tell processes apart in `sentinel logs` (no red: red means stderr there). Picked by the name, so
 * a process keeps its colour from one run of the command to the next.
 */
const PROCESS_PALETTE = [
  'cyan',
  'magenta',
  'blue',
  'green',
  'yellow',
  'cyanBright',
  'magentaBright',
  'blueBright',
  'greenBright',
  'yellowBright',
] as const;

export function processColor(c: Colors, name: string): (text: string) => string {
  let hash = 2166136261; // FNV-1a
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 16777619);
  return c[PROCESS_PALETTE[(hash >>> 0) % PROCESS_PALETTE.length]!];
}
