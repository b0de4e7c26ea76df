/**
 * CPU and memory of a whole process group. Linux: from the process table's one read of /proc/<pid>/stat per pid
 * (CPU ticks and rss are in the same line as the group), with CPU % as the ticks used since this group's previous
 * sample; no pidusage there, whose per-pid double read, `getconf` children and fd cache made a stale `status` cost
 * 90-160 ms. Elsewhere (macOS): pidusage per pid, summed.
 */
import pidusage from 'pidusage';
import { LINUX_HZ, linuxPageSize, linuxUptimeMs, type PidPgid } from '../../platform/process-table';

export interface GroupUsage {
  /** Sum of CPU % of every pid (100 = one full core). */
  cpu: number;
  /** Sum of resident memory in bytes. */
  memory: number;
  pids: number;
}

/** What a group's previous sample saw on Linux: CPU ticks per member (keyed by pid and start time), and when. */
export interface TickSnapshot {
  atMs: number;
  ticks: Map<string, number>;
}

/** /proc's clock tick and page size. */
export interface ProcClock {
  hz: number;
  pageSize: number;
}

/**
 * Pure: a group's usage from its members' /proc rows at `uptimeMs` (ms since boot). A member seen at the previous
 * sample is charged the ticks it used since then; a new member (or a recycled pid: the key holds its start time) its
 * average over its life so far, as pidusage does on a first call. Zombies and rows without figures count for nothing.
 */
export function usageFromProc(
  members: readonly PidPgid[],
  uptimeMs: number,
  prev: TickSnapshot | null,
  clock: ProcClock,
): { usage: GroupUsage | null; snapshot: TickSnapshot } {
  const ticks = new Map<string, number>();
  let cpu = 0;
  let memory = 0;
  let pids = 0;
  for (const m of members) {
    if (m.state === 'Z' || m.state === 'X' || m.cpuTicks === undefined || m.rssPages === undefined) continue;
    const key = `${m.pid}:${m.startTicks ?? ''}`;
    ticks.set(key, m.cpuTicks);
    const before = prev?.ticks.get(key);
    const [used, sinceMs] =
      before !== undefined && prev !== null
        ? [m.cpuTicks - before, uptimeMs - prev.atMs]
        : [m.cpuTicks, uptimeMs - ((m.startTicks ?? 0) / clock.hz) * 1000];
    if (sinceMs > 0 && used > 0) cpu += ((used / clock.hz) * 1000 * 100) / sinceMs;
    memory += m.rssPages * clock.pageSize;
    pids++;
  }
  return { usage: pids > 0 ? { cpu, memory, pids } : null, snapshot: { atMs: uptimeMs, ticks } };
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
 * phase-aligned, so 50 processes cost one call instead of 50. pidusage answers null for a pid that is gone, so one
 * vanished pid does not spoil the batch.
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

async function pidusageOf(pids: readonly number[]): Promise<GroupUsage | null> {
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

/**
 * The usage of group `pgid` from a process table (platform/process-table.ts); null when none of its members is
 * alive. `prev` is what this group's previous sample returned (Linux counts CPU from it; null at first).
 */
export async function groupUsage(
  rows: readonly PidPgid[],
  pgid: number,
  prev: TickSnapshot | null,
  platform: NodeJS.Platform = process.platform,
): Promise<{ usage: GroupUsage | null; snapshot: TickSnapshot | null }> {
  const members = rows.filter((r) => r.pgid === pgid);
  if (platform !== 'linux') return { usage: await pidusageOf(members.map((r) => r.pid)), snapshot: null };
  return usageFromProc(members, linuxUptimeMs(), prev, { hz: LINUX_HZ, pageSize: linuxPageSize() });
}

/** Drops pidusage's history and its cleanup timer (it would otherwise keep the event loop alive). */
export function releaseSampler(): void {
  pidusage.clear();
}
