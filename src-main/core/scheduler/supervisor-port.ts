/** The part of the Supervisor that schedules and limits need, so they can be tested with any real runner. */
import type { EventEmitter } from 'node:events';
import type { ProcessInfo, ProcessState } from '../../shared/contract';

export type { ExitEvent } from '../supervisor/supervisor';

export interface SupervisorPort extends Pick<EventEmitter, 'on' | 'off'> {
  start(name: string): Promise<void>;
  stop(name: string): Promise<void>;
  restart(name: string): Promise<void>;
  info(name: string): Pick<ProcessInfo, 'name' | 'state'> & Partial<ProcessInfo>;
  pgidOf(name: string): number | null | undefined;
}

/** States in which a previous run still lives (for overlap), including a pending automatic restart. */
export const LIVE_STATES: ReadonlySet<ProcessState> = new Set(['starting', 'running', 'stopping', 'backoff']);
