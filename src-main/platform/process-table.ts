/**
 * The one reader of the machine's process table (the diagnostics' `ps` snapshot in ps.ts is a recorded command
 * output, not a reader). Linux reads /proc (no child process per call); macOS has no /proc, so it runs `ps`.
 * The parsers are pure and table-tested.
 *
 * - processTable / recentProcessTable: (pid, pgid) of everything, so limits, CPU/memory and stops cover what a
 *   process spawned (workers, shells), not only the leader.
 * - listProcesses: (pid, comm, command line) of everything, for the `process` check's external processes.
 * - groupStartTimes: when each member of a group started, to tell a left-over from a recycled pid.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { parseElapsed } from './ps';

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

/** Reads something of every process in /proc; a process gone between readdir and read is skipped. */
async function eachProc<T>(read: (pid: string) => Promise<T | null>): Promise<T[]> {
  const pids = (await readdir('/proc')).filter((n) => /^\d+$/.test(n));
  const rows = await Promise.all(pids.map((pid) => read(pid).catch(() => null)));
  return rows.filter((r): r is Awaited<T> => r !== null);
}

function linuxTable(): Promise<PidPgid[]> {
  return eachProc(async (pid) => parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8')));
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

// ---------- processes by name and command line ----------

export interface ProcessEntry {
  pid: number;
  comm: string;
  /** argv joined with spaces. */
  cmdline: string;
}

/** Pure: one `ps -axo pid=,comm=,args=` line per process → entries (macOS; comm there is a path). */
export function parsePsList(raw: string): ProcessEntry[] {
  const out: ProcessEntry[] = [];
  for (const line of raw.split('\n')) {
    const m = /^\s*(\d+)\s+(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    out.push({ pid: Number(m[1]), comm: basename(m[2]!), cmdline: m[3]!.trim() });
  }
  return out;
}

function listLinux(): Promise<ProcessEntry[]> {
  return eachProc(async (pid) => {
    const [cmd, comm] = await Promise.all([
      readFile(`/proc/${pid}/cmdline`, 'utf8'),
      readFile(`/proc/${pid}/comm`, 'utf8'),
    ]);
    // Kernel threads have an empty cmdline; they are never what a config means.
    if (cmd === '') return null;
    return { pid: Number(pid), comm: comm.trim(), cmdline: cmd.replace(/\0+$/, '').split('\0').join(' ') };
  });
}

async function listPs(): Promise<ProcessEntry[]> {
  const { stdout } = await promisify(execFile)('ps', ['-axo', 'pid=,comm=,args='], { maxBuffer: 16 << 20 });
  return parsePsList(stdout);
}

export function listProcesses(platform: NodeJS.Platform = process.platform): Promise<ProcessEntry[]> {
  return platform === 'linux' ? listLinux() : listPs();
}

// ---------- start times of a group ----------

/**
 * Linux boot time and clock tick, to turn /proc start ticks into epoch ms. /proc reports USER_HZ, which the kernel
 * fixes at 100 on every mainstream architecture, so no `getconf CLK_TCK` child is spawned for it.
 */
function linuxClock(): { bootMs: number; hz: number } | null {
  try {
    const btime = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
    return btime ? { bootMs: Number(btime[1]) * 1000, hz: 100 } : null;
  } catch {
    return null;
  }
}

/** Epoch ms at which each live member of the group started (NaN where unknown; empty when the group is gone). */
export async function groupStartTimes(pgid: number, platform: NodeJS.Platform = process.platform): Promise<number[]> {
  if (platform === 'linux') {
    const clock = linuxClock();
    const rows = (await processTable('linux')).filter((r) => r.pgid === pgid && r.state !== 'Z' && r.state !== 'X');
    return rows.map((r) =>
      clock && r.startTicks !== undefined ? clock.bootMs + (r.startTicks / clock.hz) * 1000 : Number.NaN,
    );
  }
  let out: string;
  try {
    // `ps -o etime` exists on macOS and Linux: elapsed [[dd-]hh:]mm:ss.
    out = execFileSync('ps', ['-g', String(pgid), '-o', 'etime='], { encoding: 'utf8', timeout: 5000 });
  } catch {
    return []; // ps exits 1 when the group has no process
  }
  return out
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      try {
        return Date.now() - parseElapsed(l);
      } catch {
        return Number.NaN;
      }
    });
}
