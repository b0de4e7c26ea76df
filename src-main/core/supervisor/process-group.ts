/**
 * Children run in their own process group (spawned `detached`, so the child is a group leader) and are stopped as
 * a group: what a process spawned — workers, a shell's background jobs, a daemon that forked and exited — goes
 * with it, so nothing is left holding a port (PM2 #6084, supervisord #1101). launchd does the same by default.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { homedir } from 'node:os';
import { recentProcessTable } from '../../platform/process-table';
import type { ProcessSpec } from '../config/schema';

export function expandHome(path: string): string {
  return path === '~' ? homedir() : path.startsWith('~/') ? homedir() + path.slice(1) : path;
}

type SpawnSpec = Pick<ProcessSpec, 'name' | 'command' | 'args' | 'shell' | 'cwd' | 'env'>;

const envs = new WeakMap<SpawnSpec, { base: NodeJS.ProcessEnv; env: NodeJS.ProcessEnv }>();

/**
 * The child's environment, merged once per spec and base: copying process.env reads every variable through the
 * environment (~0.1 ms on a loaded box), and a crash loop pays it between the exit and the next spawn. Sentinel
 * never changes its own environment after start-up; a config change brings new spec objects, so a new merge.
 */
function childEnv(spec: SpawnSpec, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const cached = envs.get(spec);
  if (cached?.base === base) return cached.env;
  const env = { ...base, ...spec.env };
  envs.set(spec, { base, env });
  return env;
}

/**
 * Spawns without a shell unless the spec says `shell: true`; then the command runs under /bin/sh -c and `args`
 * become $1, $2 … (never re-split or expanded).
 */
export function spawnInGroup(spec: SpawnSpec, baseEnv: NodeJS.ProcessEnv = process.env): ChildProcess {
  const [file, argv] = spec.shell
    ? ['/bin/sh', ['-c', spec.command, spec.name, ...spec.args]]
    : [expandHome(spec.command), spec.args];
  return spawn(file, argv, {
    cwd: spec.cwd ? expandHome(spec.cwd) : undefined,
    env: childEnv(spec, baseEnv),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Sends a signal to every process of the group; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Live (non-zombie) members of a group. On Linux from /proc, because a zombie still answers kill(-pgid, 0)
 * until something reaps it, and in a container PID 1 may never reap the orphans.
 */
export async function liveGroupMembers(pgid: number, notBefore = Date.now()): Promise<number[]> {
  if (!signalGroup(pgid, 0)) return []; // not even a zombie left
  if (process.platform !== 'linux') return [pgid];
  const rows = await recentProcessTable({ notBefore });
  return rows.filter((r) => r.pgid === pgid && r.state !== 'Z' && r.state !== 'X').map((r) => r.pid);
}

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Waits until the group has no live member, polling; true if it emptied within the time. */
export async function waitGroupGone(pgid: number, timeoutMs: number, pollMs = 25): Promise<boolean> {
  const since = Date.now();
  const deadline = since + timeoutMs;
  for (;;) {
    if ((await liveGroupMembers(pgid, since)).length === 0) return true;
    if (Date.now() >= deadline) return false;
    await delay(Math.min(pollMs, Math.max(1, deadline - Date.now())));
  }
}

export interface KillResult {
  /** SIGKILL was needed after the grace. */
  forced: boolean;
  /** Members still alive even after SIGKILL (should never happen; reported, not hidden). */
  survivors: number[];
}

/**
 * The stop signal to the whole group, then SIGKILL to the group after `graceMs`. With `leaderExited` (the
 * leader's `exit` event) the wait starts on that event instead of polling: most groups are the leader alone, and
 * once it is reaped the group is gone (kill(-pgid, 0) fails) without reading the process table at all — 500
 * processes stopping at once cost 500 events, not 500 pollers scanning /proc every 25 ms.
 */
export async function killGroup(
  pgid: number,
  signal: NodeJS.Signals,
  graceMs: number,
  leaderExited?: Promise<unknown>,
): Promise<KillResult> {
  const start = Date.now();
  if (!signalGroup(pgid, signal)) return { forced: false, survivors: [] };
  if (leaderExited) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([leaderExited, new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
  }
  if (await waitGroupGone(pgid, Math.max(0, graceMs - (Date.now() - start)))) return { forced: false, survivors: [] };
  signalGroup(pgid, 'SIGKILL');
  const gone = await waitGroupGone(pgid, 2_000);
  return { forced: true, survivors: gone ? [] : await liveGroupMembers(pgid) };
}
