/**
 * What schedules and resource limits drive: start, stop or restart a process by name and hear its exits. The
 * Supervisor implements it; tests use a real runner of their own (test/core/scheduler/real-runner.ts).
 */
import type { EventEmitter } from 'node:events';
import type { ProcessInfo } from '../../shared/contract';

export type { ExitEvent } from '../supervisor/supervisor';

export interface ProcessRunner extends Pick<EventEmitter, 'on' | 'off'> {
  start(name: string): Promise<void>;
  stop(name: string): Promise<void>;
  /** `counted`: an automatic restart (limits) that counts in `restarts` like a crash restart; a person's does not. */
  restart(name: string, opts?: { counted?: boolean }): Promise<void>;
  info(name: string): Pick<ProcessInfo, 'name' | 'state'> & Partial<ProcessInfo>;
  pgidOf(name: string): number | null | undefined;
}
