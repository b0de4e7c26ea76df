/**
 * The one reader of the machine's process table (the diagnostics' `ps` snapshot in ps.ts is a recorded command
 * output, not a reader). Linux reads /proc (no child process per call); macOS has no /proc, so it runs `ps`.
 * The parsers are pure and table-tested.
 *
 * - processTable / recentProcessTable: (pid, pgid) of everything, so limits, CPU/memory and stops cover what a
 *   process spawned (workers, shells), not only the leader. On Linux each row also carries its CPU ticks and rss,
 *   so one pass over /proc is a whole CPU/memory sampling round.
 * - listProcesses: (pid, comm, command line) of everything, for the `process` check's external processes.
 * - groupStartTimes: when each member of a group started, to tell a left-over from a recycled pid.
 */
import { execFile, execFileSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
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
  /** Linux: CPU time used so far, user + system, in clock ticks (fields 14 and 15). */
  cpuTicks?: number;
  /** Linux: resident set size in pages (field 24). */
  rssPages?: number;
}

/**
 * Parses /proc/<pid>/stat. The command name (field 2) is in parentheses and may itself contain ") " and spaces,
 * so fields are counted after the last ")": state is field 3, ppid 4, pgrp 5, utime 14, stime 15, starttime 22,
 * rss 24. One read of this file is all the CPU/memory sampling needs (no pidusage, no second read per pid).
 */
export function parseProcStat(text: string): PidPgid | null {
  const close = text.lastIndexOf(')');
  const pid = Number.parseInt(text, 10);
  if (close < 0 || !Number.isInteger(pid)) return null;
  // Fields 3..24 only (a scan reads every process on the machine: no split of all 52 fields).
  const fields: string[] = [];
  for (let at = close + 2; fields.length < 22 && at < text.length;) {
    let end = text.indexOf(' ', at);
    if (end < 0) end = text.length;
    fields.push(text.slice(at, end));
    at = end + 1;
  }
  const field = (n: number): number | undefined => {
    const v = fields[n - 3] ? Number(fields[n - 3]) : Number.NaN;
    return Number.isFinite(v) ? v : undefined;
  };
  const pgid = field(5);
  if (pgid === undefined || !Number.isInteger(pgid)) return null;
  const row: PidPgid = { pid, pgid, state: fields[0] };
  const startTicks = field(22);
  if (startTicks !== undefined) row.startTicks = startTicks;
  const utime = field(14);
  const stime = field(15);
  if (utime !== undefined && stime !== undefined) row.cpuTicks = utime + stime;
  const rssPages = field(24);
  if (rssPages !== undefined) row.rssPages = rssPages;
  return row;
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

/** Reads something of every process in /proc; a process gone between readdir and read is skipped. */
async function eachProc<T>(read: (pid: string) => Promise<T | null>): Promise<T[]> {
  const pids = (await readdir('/proc')).filter((n) => /^\d+$/.test(n));
  const rows = await Promise.all(pids.map((pid) => read(pid).catch(() => null)));
  return rows.filter((r): r is Awaited<T> => r !== null);
}

/** One buffer for every /proc/<pid>/stat read: the line is well under 1 KB (the command name is at most 64 bytes). */
const statBuf = Buffer.alloc(4096);

/**
 * A small /proc file, read with open/read/close into the shared buffer. readFileSync would fstat first, see size 0
 * (as for every /proc file) and allocate a fresh 64 KB buffer per read: most of a scan's time in a profile.
 */
function readProcFile(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const n = readSync(fd, statBuf, 0, statBuf.length, 0);
    return statBuf.toString('latin1', 0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * /proc/<pid>/stat of every process, read synchronously: these are kernel-generated files, never the disk, and one
 * pass over ~200 processes costs a few ms of CPU, where as many fs.promises reads (open, fstat, read, close through
 * the thread pool, each) cost ~20 ms of CPU and tens of ms of wall time on a loaded machine (measured on the CI box).
 */
function linuxTable(): Promise<PidPgid[]> {
  const rows: PidPgid[] = [];
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const row = parseProcStat(readProcFile(`/proc/${pid}/stat`));
        if (row) rows.push(row);
      } catch {
        // gone between readdir and read
      }
    }
  } catch (err) {
    return Promise.reject(err as Error);
  }
  return Promise.resolve(rows);
}

/** Linux: seconds since boot, as ms (/proc/uptime), the clock /proc's start ticks count on. */
export function linuxUptimeMs(): number {
  return Number.parseFloat(readFileSync('/proc/uptime', 'latin1')) * 1000;
}

let pageSize: number | undefined;

/**
 * Linux: bytes per page of /proc's rss, found once by comparing this process's rss in pages (/proc/self/statm) with
 * its rss in bytes (no `getconf PAGESIZE` child); 4096 if that fails. Rounded to a power of two, so the few pages
 * the process may gain between the two reads do not matter.
 */
export function linuxPageSize(): number {
  if (pageSize !== undefined) return pageSize;
  pageSize = 4096;
  try {
    const pages = Number(readFileSync('/proc/self/statm', 'latin1').split(' ')[1]);
    const bytes = process.memoryUsage.rss();
    if (pages > 0) pageSize = 2 ** Math.round(Math.log2(bytes / pages));
  } catch {
    // keep 4096
  }
  return pageSize;
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
 * /proc's clock tick (start times, CPU times): USER_HZ, which the kernel fixes at 100 on every mainstream
 * architecture, so no `getconf CLK_TCK` child is spawned for it.
 */
export const LINUX_HZ = 100;

/** Linux boot time and clock tick, to turn /proc start ticks into epoch ms. */
function linuxClock(): { bootMs: number; hz: number } | null {
  try {
    const btime = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
    return btime ? { bootMs: Number(btime[1]) * 1000, hz: LINUX_HZ } : null;
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
