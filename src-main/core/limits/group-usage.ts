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

type Stats = Record<string, { cpu: number; memory: number } | null>;

let batch: { pids: Set<number>; stats: Promise<Stats> } | null = null;

/**
 * The stats of these pids, from one pidusage call shared by every caller in the same tick: sampling rounds are
 * phase-aligned, so 50 processes cost one call (one read of /proc/uptime and of each pid) instead of 50.
 * pidusage answers null for a pid that is gone, so one vanished pid does not spoil the batch.
 */
function batchedStats(pids: readonly number[]): Promise<Stats> {
  if (batch === null) {
    const next: { pids: Set<number>; stats: Promise<Stats> } = { pids: new Set(), stats: Promise.resolve({}) };
    next.stats = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      batch = null;
      return pidusage([...next.pids]) as Promise<Stats>;
    });
    batch = next;
  }
  for (const pid of pids) batch.pids.add(pid);
  return batch.stats;
}

/** Null when none of the pids is alive any more. */
export async function groupUsage(pids: readonly number[]): Promise<GroupUsage | null> {
  if (pids.length === 0) return null;
  let all: Stats;
  try {
    all = await batchedStats(pids);
  } catch {
    return null; // every pid exited between listing and sampling
  }
  const usage = sumUsage(Object.fromEntries(pids.map((pid) => [String(pid), all[String(pid)] ?? null])));
  return usage.pids > 0 ? usage : null;
}

/** Drops pidusage's history and its cleanup timer (it would otherwise keep the event loop alive). */
export function releaseSampler(): void {
  pidusage.clear();
}
