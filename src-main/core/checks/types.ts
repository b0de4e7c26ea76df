/**
 * What a check needs from the world, passed in so every check can run against real processes and sockets in
 * tests without global state: a deadline, the supervisor (for checks on processes Sentinel owns), a finder for
 * external processes, and the PATH to look tools up on.
 */
import type { ProcessInfo } from '../../shared/contract';
import type { FoundProcess, ProcessQuery } from './process-finder';

/** The part of the supervisor a check may ask about. */
export interface SupervisorLookup {
  pidOf(name: string): number | null;
  info(name: string): ProcessInfo | undefined;
}

export interface CheckContext {
  /** Aborted when the check's timeout passes or the runner stops. */
  signal: AbortSignal;
  timeoutMs: number;
  /** The result's identity: check name, owning service (null for upstream checks), upstream flag. */
  name: string;
  service: string | null;
  upstream: boolean;
  now: () => number;
  supervisor?: SupervisorLookup;
  findProcesses: (query: ProcessQuery) => Promise<FoundProcess[]>;
  /** Where tools such as `netbird` are looked up (default: process.env.PATH). */
  path?: string;
}
