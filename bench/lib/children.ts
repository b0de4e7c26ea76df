/** Paths of the benchmark child programs and the shape of a supervised program every peer understands. */
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../children/', import.meta.url));

export const CHILD = {
  crasher: `${dir}crasher.mjs`,
  flood: `${dir}flood.mjs`,
  idleFloor: `${dir}idle-floor.cjs`,
  respawn: `${dir}respawn.mjs`,
  soakLogger: `${dir}soak-logger.mjs`,
  soakWeb: `${dir}soak-web.mjs`,
} as const;

/** One supervised program, in the vocabulary common to Sentinel, PM2 and supervisord. */
export interface Program {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  /** always: restart on every exit at zero delay; never: run once. */
  restart: 'always' | 'never';
  /** An HTTP health check (Sentinel only: PM2 and supervisord have none; the soak says so). */
  httpCheck?: { url: string; intervalMs: number };
}

/** A node program: the command is this very node binary so every peer runs the same interpreter. */
export function nodeProgram(
  name: string,
  script: string,
  env: Record<string, string>,
  restart: Program['restart'],
): Program {
  return { name, command: process.execPath, args: [script], env, restart };
}

/** A `sleep`-like idle child. */
export function sleeper(name: string, env: Record<string, string>): Program {
  return { name, command: '/bin/sleep', args: ['1000000'], env, restart: 'always' };
}
