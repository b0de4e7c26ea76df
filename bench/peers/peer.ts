/** What every supervisor under benchmark (Sentinel, PM2, supervisord) offers the scenarios. */
import type { Program } from '../lib/children';

export type PeerName = 'sentinel' | 'pm2' | 'supervisord';

export interface Peer {
  readonly name: PeerName;
  /** Starts the daemon with these programs (all autostarted); resolves once the daemon answers commands. */
  start(programs: Program[]): Promise<void>;
  /** The pid whose CPU time and RSS are the daemon's cost (PM2: the God daemon). */
  daemonPid(): number;
  /** The status command a person would type, for the round-trip scenario. */
  statusCommand(): { command: string; args: string[]; env: NodeJS.ProcessEnv };
  /** Stdout lines of a program the daemon has stored so far (and made queryable). */
  capturedLines(program: string): Promise<number>;
  /** Asks the daemon to stop every program; resolves when the command returned. */
  stopAll(): Promise<void>;
  /** Stops the daemon and whatever it still runs. Idempotent; kills only pids this peer started. */
  shutdown(): Promise<void>;
}

/** A peer that cannot run on this machine, with the reason the bench prints instead of its figures. */
export interface Unavailable {
  readonly name: PeerName;
  readonly reason: string;
}
