/**
 * The process states grouped once, after supervisord's `states.py`: the scheduler, the supervisor, the assessor,
 * the windows (buttons and colours) and the CLI all ask these groups instead of spelling out lists of states, so
 * "is it live?" or "what colour is exited?" has one answer everywhere.
 *
 * Zod-free and Node-free: the renderer imports it too.
 */
import type { Color, ProcessState } from './contract';

/** A child is being spawned or is up (and not being stopped): what a `process` check and the assessor call alive. */
export const UP_STATES: ReadonlySet<ProcessState> = new Set(['starting', 'running']);

/**
 * The supervisor means the process to run: up, or waiting to retry. A changed spec restarts it, a window offers
 * Stop rather than Start. (supervisord's RUNNING_STATES.)
 */
export const RUNNING_STATES: ReadonlySet<ProcessState> = new Set(['starting', 'running', 'backoff']);

/** The process is in the supervisor's hands (running, retrying or being stopped): a scheduled run is skipped. */
export const LIVE_STATES: ReadonlySet<ProcessState> = new Set(['starting', 'running', 'backoff', 'stopping']);

/**
 * The colour of each state, for the assessor and for the windows' CSS (`.state.green` …): stopped and exited are
 * green because they are not failures (stopped on purpose; a clean exit, e.g. a scheduled job between runs).
 */
export const STATE_COLORS: Readonly<Record<ProcessState, Color>> = {
  running: 'green',
  stopped: 'green',
  exited: 'green',
  starting: 'yellow',
  backoff: 'yellow',
  stopping: 'yellow',
  fatal: 'red',
};

export function stateColor(state: ProcessState): Color {
  return STATE_COLORS[state];
}
