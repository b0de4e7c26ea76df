/**
 * Running one peer on one workload: a fresh temp dir, start, the measurement, then shutdown and a sweep of every
 * pid carrying this run's mark — whatever happens in between, nothing we started outlives the scenario.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killMarked } from './procfs';
import type { Program } from './children';
import type { Peer, PeerName, Unavailable } from '../peers/peer';
import { Pm2Peer } from '../peers/pm2';
import { SentinelPeer, sentinelUnavailable } from '../peers/sentinel';
import { findSupervisord, SupervisordPeer } from '../peers/supervisord';
import type { ConfigInput } from '../../src-main/core/config/schema';

export interface PeerFactory {
  name: PeerName;
  make(dir: string): Peer;
}

export interface BenchContext {
  quick: boolean;
  /** The peers that can run here, Sentinel first. */
  peers: PeerFactory[];
  log(line: string): void;
}

/** Factories for the peers that can run on this machine, and the reasons for those that cannot. */
export function availablePeers(
  wanted: readonly PeerName[],
  sentinelSettings?: ConfigInput['settings'],
): { peers: PeerFactory[]; skipped: Unavailable[] } {
  const peers: PeerFactory[] = [];
  const skipped: Unavailable[] = [];
  for (const name of wanted) {
    if (name === 'sentinel') {
      const why = sentinelUnavailable();
      if (why) skipped.push(why);
      else peers.push({ name, make: (dir) => new SentinelPeer(dir, sentinelSettings) });
    } else if (name === 'pm2') {
      peers.push({ name, make: (dir) => new Pm2Peer(dir) });
    } else {
      const found = findSupervisord();
      if ('reason' in found) skipped.push(found);
      else peers.push({ name, make: (dir) => new SupervisordPeer(dir, found) });
    }
  }
  return { peers, skipped };
}

let runCounter = 0;
/** A mark unique to this bench process and call, carried by every child in the MARK env var. */
export function newMark(label: string): string {
  return `${label}-${process.pid}-${++runCounter}`;
}

/** Starts `peer` with `programs`, runs `measure`, and always tears everything down. */
export async function withPeer<T>(
  factory: PeerFactory,
  mark: string,
  programs: (dir: string) => Program[],
  measure: (peer: Peer, dir: string) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `sentinel-bench-${factory.name}-`));
  const peer = factory.make(dir);
  try {
    await peer.start(programs(dir));
    return await measure(peer, dir);
  } finally {
    await peer.shutdown().catch((err: Error) => console.error(`  ${factory.name}: shutdown failed: ${err.message}`));
    killMarked(mark);
    if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
  }
}
