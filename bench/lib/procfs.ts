/**
 * Linux /proc readers for the bench and the reliability suite: CPU time and RSS of a pid, and a scan for the
 * children a run marked with an env var (so we count and kill only what we started, whichever daemon spawned it).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

let clockTicks: number | undefined;
/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat (100 on every Linux we know, but ask). */
export function clkTck(): number {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return clockTicks;
}

/** Fields of /proc/<pid>/stat after the "(comm)" part, which may itself contain spaces and parentheses. */
export function parseStat(text: string): {
  state: string;
  ppid: number;
  pgrp: number;
  utime: number;
  stime: number;
  rssPages: number;
} {
  const close = text.lastIndexOf(')');
  if (close < 0) throw new Error(`unexpected /proc stat line: ${text.slice(0, 80)}`);
  const f = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  // After comm: state(3) ppid(4) pgrp(5) … utime(14) stime(15) … rss(24); index = field - 3.
  return {
    state: f[0]!,
    ppid: Number(f[1]),
    pgrp: Number(f[2]),
    utime: Number(f[11]),
    stime: Number(f[12]),
    rssPages: Number(f[21]),
  };
}

export function readStat(pid: number): ReturnType<typeof parseStat> | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** utime+stime of a pid in milliseconds (its own threads, not its children). */
export function cpuMs(pid: number): number {
  const s = readStat(pid);
  if (!s) throw new Error(`pid ${pid} is gone (no /proc/${pid}/stat)`);
  return ((s.utime + s.stime) * 1000) / clkTck();
}

/**
 * CPU time of a pid's live threads in milliseconds, to the nanosecond: the sum of the first field (time on a CPU) of
 * /proc/<pid>/task/<tid>/schedstat. utime+stime (cpuMs) count clock ticks of 10 ms, each charged to whatever runs
 * when the tick fires, so a daemon that wakes for microseconds a few times a minute reads 0, 10 or 20 ms over a
 * minute by chance (session 7's run: Sentinel 10 ms, PM2 10 ms). A thread that exits takes its time with it, so this
 * is for windows in which the threads stay (an idle daemon). undefined where the kernel keeps no schedstat.
 */
export function cpuMsPrecise(pid: number): number | undefined {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    throw new Error(`pid ${pid} is gone (no /proc/${pid}/task)`);
  }
  if (!existsSync(`/proc/${pid}/schedstat`)) return undefined;
  let ns = 0;
  for (const tid of tasks) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // The thread exited between the listing and the read: its time is gone with it (see above).
    }
  }
  return ns / 1e6;
}

/** Resident set size in bytes (VmRSS). */
export function rssBytes(pid: number): number {
  return statusKb(pid, 'VmRSS') * 1024;
}

/**
 * Resident anonymous memory in bytes (RssAnon): the daemon's own heaps (V8, malloc), without the file-backed pages
 * of the node binary and libraries that every Node daemon maps alike (34 of the 40.6 MB of a bare `node -e` here).
 */
export function rssAnonBytes(pid: number): number {
  return statusKb(pid, 'RssAnon') * 1024;
}

function statusKb(pid: number, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no ${field} for pid ${pid}`);
  return Number(m[1]);
}

/** The env var every benchmark/reliability child carries: `<MARK_VAR>=<run id>`. */
export const MARK_VAR = 'SENTINEL_BENCH_MARK';

export interface MarkedProcess {
  pid: number;
  ppid: number;
  pgrp: number;
  env: Record<string, string>;
}

/** NUL-separated KEY=VALUE pairs of /proc/<pid>/environ. */
export function parseEnviron(raw: Buffer): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of raw.toString('utf8').split('\0')) {
    const eq = pair.indexOf('=');
    if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}

/** Live (non-zombie) processes whose environment holds MARK_VAR=mark. Reads only processes we may read. */
export function markedProcesses(mark: string): MarkedProcess[] {
  const needle = Buffer.from(`${MARK_VAR}=${mark}\0`);
  const found: MarkedProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const raw = readFileSync(`/proc/${pid}/environ`);
      if (raw.indexOf(needle) < 0) continue;
      const st = readStat(pid);
      if (st && st.state !== 'Z') found.push({ pid, ppid: st.ppid, pgrp: st.pgrp, env: parseEnviron(raw) });
    } catch {
      // Gone between readdir and read, or not ours to read.
    }
  }
  return found;
}

export function markedPids(mark: string): number[] {
  return markedProcesses(mark).map((p) => p.pid);
}

/** SIGKILLs every live pid carrying the mark: the last line of defence so a bench or test never leaks children. */
export function killMarked(mark: string): number[] {
  const pids = markedPids(mark);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  return pids;
}
