/** CPU and memory of a whole process group: pidusage per pid, summed. */
import pidusage from 'pidusage';

export interface GroupUsage {
  /** Sum of CPU % of every pid (100 = one full core). */
  cpu: number;
  /** Sum of resident memory in bytes. */
  memory: number;
  pids: number;
}

/** Pure: sums pidusage's per-pid stats, skipping pids that vanished (null). */
export function sumUsage(stats: Record<string, { cpu: number; memory: number } | null | undefined>): GroupUsage {
  let cpu = 0;
  let memory = 0;
  let pids = 0;
  for (const s of Object.values(stats)) {
    if (!s) continue;
    cpu += Number.isFinite(s.cpu) ? s.cpu : 0;
    memory += s.memory;
    pids++;
  }
  return { cpu, memory, pids };
}

/** Null when none of the pids is alive any more. */
export async function groupUsage(pids: readonly number[]): Promise<GroupUsage | null> {
  if (pids.length === 0) return null;
  let stats: Record<string, { cpu: number; memory: number } | null>;
  try {
    stats = (await pidusage([...pids])) as typeof stats;
  } catch {
    return null; // every pid exited between listing and sampling
  }
  const usage = sumUsage(stats);
  return usage.pids > 0 ? usage : null;
}

/** Drops pidusage's history and its cleanup timer (it would otherwise keep the event loop alive). */
export function releaseSampler(): void {
  pidusage.clear();
}
