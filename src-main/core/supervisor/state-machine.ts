/**
 * One explicit state machine per process, after supervisord's: every change of state goes through `transition`,
 * so an impossible move (a stop of a process that is already stopping, a "started" while backing off) is a bug
 * that shows, not a silent corruption of the status.
 */
import type { ProcessState } from '../../shared/contract';

export type ProcessEvent =
  | 'start' //      a person, the API or the scheduler asks for a start
  | 'spawned' //    the child exists; not yet proven stable
  | 'started' //    it stayed up start_secs
  | 'crashed' //    it exited and the policy restarts it after a delay
  | 'finished' //   it exited and the policy leaves it exited
  | 'gave_up' //    too many failures in the window
  | 'retry' //      the backoff (or retry_after) timer fired
  | 'stop' //       stop requested while a child lives
  | 'stopped' //    the whole process group is gone
  | 'cancel'; //    stop requested while no child lives (backoff, exited, fatal)

const TABLE: Record<ProcessState, Partial<Record<ProcessEvent, ProcessState>>> = {
  stopped: { start: 'starting', cancel: 'stopped' },
  starting: {
    spawned: 'starting',
    started: 'running',
    crashed: 'backoff',
    finished: 'exited',
    gave_up: 'fatal',
    stop: 'stopping',
  },
  running: { crashed: 'backoff', finished: 'exited', gave_up: 'fatal', stop: 'stopping' },
  backoff: { retry: 'starting', start: 'starting', cancel: 'stopped' },
  stopping: { stopped: 'stopped' },
  exited: { start: 'starting', cancel: 'stopped' },
  fatal: { start: 'starting', retry: 'starting', cancel: 'stopped' },
};

export class IllegalTransition extends Error {
  constructor(
    readonly from: ProcessState,
    readonly event: ProcessEvent,
  ) {
    super(`illegal transition: "${event}" in state ${from}`);
  }
}

/** The next state, or an IllegalTransition. Pure. */
export function transition(from: ProcessState, event: ProcessEvent): ProcessState {
  const to = TABLE[from][event];
  if (to === undefined) throw new IllegalTransition(from, event);
  return to;
}
