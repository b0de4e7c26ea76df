/**
 * Closing the host, always in this order: the transports (no new requests; api.json and the socket file go), then
 * the core (subsystems, children with their stop grace, the store), then the lock — last, so no other supervisor
 * can start over the data dir while our children or our store are still alive.
 */
import type { Sentinel } from '../core/sentinel';
import type { DataDirLock } from './lock';
import type { Served } from './serve';

export interface HostParts {
  served?: Served | undefined;
  sentinel?: Sentinel | undefined;
  lock: DataDirLock;
}

export async function closeHost({ served, sentinel, lock }: HostParts): Promise<void> {
  try {
    await served?.close();
    await sentinel?.close();
  } finally {
    lock.release();
  }
}
