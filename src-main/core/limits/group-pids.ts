/**
 * All pids of a process group, so limits and CPU/memory cover what a process spawned (workers, shells), not only
 * the leader. Linux: field 5 of /proc/<pid>/stat; macOS: `ps -axo pid=,pgid=`. The parsers are pure.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

export interface PidPgid {
  pid: number;
  pgid: number;
  /** One-letter process state where known (Linux: R, S, D, Z …); a zombie ("Z") is dead but not yet reaped. */
  state?: string;
  /** Linux: start time in clock ticks after boot (field 22), to tell a recycled pid from the one we started. */
  startTicks?: number;
}

/**
 * Parses /proc/<pid>/stat. The command name (field 2) is in parentheses and may itself contain ") " and spaces,
 * so fields are counted after the last ")": state is field 3, ppid 4, pgrp 5.
 */
export function parseProcStat(text: string): PidPgid | null {
  const close = text.lastIndexOf(')');
  const pid = Number.parseInt(text, 10);
  if (close < 0 || !Number.isInteger(pid)) return null;
  const rest = text.slice(close + 2).split(' ');
  const pgid = Number(rest[2]);
  const startTicks = Number(rest[19]);
  return Number.isInteger(pgid)
    ? { pid, pgid, state: rest[0], ...(Number.isFinite(startTicks) ? { startTicks } : {}) }
    : null;
}

/** Parses `ps -axo pid=,pgid=` (two right-aligned numbers a line); skips lines that are not two integers. */
export function parsePsPidPgid(text: string): PidPgid[] {
  const rows: PidPgid[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(line);
    if (m) rows.push({ pid: Number(m[1]), pgid: Number(m[2]) });
  }
  return rows;
}

export function pidsInGroup(rows: readonly PidPgid[], pgid: number): number[] {
  return rows.filter((r) => r.pgid === pgid).map((r) => r.pid);
}

async function linuxTable(): Promise<PidPgid[]> {
  const names = (await readdir('/proc')).filter((n) => /^\d+$/.test(n));
  const rows = await Promise.all(
    names.map(
      (n) => readFile(`/proc/${n}/stat`, 'utf8').then(parseProcStat, () => null), // gone between readdir and read
    ),
  );
  return rows.filter((r): r is PidPgid => r !== null);
}

async function psTable(): Promise<PidPgid[]> {
  const { stdout } = await promisify(execFile)('ps', ['-axo', 'pid=,pgid='], {
    timeout: 5_000,
    maxBuffer: 8 * 1024 * 1024,
  });
  return parsePsPidPgid(stdout);
}

/** Every (pid, pgid) on this machine, read once per sampling round and shared by all processes. */
export function processTable(platform: NodeJS.Platform = process.platform): Promise<PidPgid[]> {
  return platform === 'linux' ? linuxTable() : psTable();
}

let recent: { at: number; rows: Promise<PidPgid[]> } | null = null;

/**
 * The process table, shared by everyone who asks within `maxAgeMs`: 500 processes stopping at once poll their
 * groups together, and one scan of /proc answers them all instead of one scan each.
 */
export function recentProcessTable(
  { maxAgeMs = 25, notBefore = 0 }: { maxAgeMs?: number; notBefore?: number } = {},
  platform: NodeJS.Platform = process.platform,
): Promise<PidPgid[]> {
  const now = Date.now();
  // `notBefore`: a caller that just sent a signal must not be answered by a table read before it.
  if (recent === null || now - recent.at > maxAgeMs || recent.at < notBefore) {
    const rows = processTable(platform);
    recent = { at: now, rows };
    rows.catch(() => {
      if (recent?.rows === rows) recent = null; // a failed read is not cached
    });
  }
  return recent.rows;
}
