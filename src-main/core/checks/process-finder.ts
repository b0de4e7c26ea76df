/**
 * Finds external processes (ones Sentinel does not own, such as the NetBird daemon) by executable name or by a
 * regular expression over the command line. Linux reads /proc directly (no child process per check); macOS has
 * no /proc, so it parses `ps -axo pid=,comm=,args=`. CPU, memory and uptime come from pidusage.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import pidusage from 'pidusage';

export interface ProcessQuery {
  /** Executable name: equal to the process's comm or to the base name of argv[0]. */
  name?: string;
  /** A regular expression (JavaScript syntax) over the whole command line. */
  match?: string;
}

export interface ProcessEntry {
  pid: number;
  comm: string;
  /** argv joined with spaces. */
  cmdline: string;
}

export interface FoundProcess extends ProcessEntry {
  cpu: number | null;
  memory: number | null;
  uptime_ms: number | null;
}

/** Compiles a query once; throws an Error naming the field when the regular expression is invalid. */
export function compileQuery(query: ProcessQuery): (p: ProcessEntry) => boolean {
  if (!query.name && !query.match) throw new Error('process query: expected "name" or "match"');
  let re: RegExp | undefined;
  if (query.match) {
    try {
      re = new RegExp(query.match);
    } catch (err) {
      throw new Error(`match: invalid regular expression ${JSON.stringify(query.match)}: ${(err as Error).message}`);
    }
  }
  const name = query.name;
  return (p) => {
    if (name && (p.comm === name || basename(p.cmdline.split(' ')[0] ?? '') === name)) return true;
    return re !== undefined && re.test(p.cmdline);
  };
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

async function listLinux(): Promise<ProcessEntry[]> {
  const dirs = (await readdir('/proc')).filter((d) => /^\d+$/.test(d));
  const entries = await Promise.all(
    dirs.map(async (d): Promise<ProcessEntry | null> => {
      try {
        const [cmd, comm] = await Promise.all([
          readFile(`/proc/${d}/cmdline`, 'utf8'),
          readFile(`/proc/${d}/comm`, 'utf8'),
        ]);
        // Kernel threads have an empty cmdline; they are never what a config means.
        if (cmd === '') return null;
        return { pid: Number(d), comm: comm.trim(), cmdline: cmd.replace(/\0+$/, '').split('\0').join(' ') };
      } catch {
        return null; // exited while we looked
      }
    }),
  );
  return entries.filter((e): e is ProcessEntry => e !== null);
}

function listPs(): Promise<ProcessEntry[]> {
  return new Promise((resolve, reject) => {
    execFile('ps', ['-axo', 'pid=,comm=,args='], { maxBuffer: 16 << 20 }, (err, stdout) =>
      err ? reject(err) : resolve(parsePsList(stdout)),
    );
  });
}

export function listProcesses(): Promise<ProcessEntry[]> {
  return process.platform === 'linux' ? listLinux() : listPs();
}

/** Processes matching the query (never Sentinel itself), with their resource use. */
export async function findProcesses(query: ProcessQuery): Promise<FoundProcess[]> {
  const matches = compileQuery(query);
  const found = (await listProcesses()).filter((p) => p.pid !== process.pid && matches(p));
  if (found.length === 0) return [];
  let usage: Record<number, pidusage.Status | undefined> = {};
  try {
    usage = await pidusage(found.map((p) => p.pid));
  } catch {
    // A process that exits between listing and sampling fails the whole batch; the pids are still worth reporting.
  }
  return found.map((p) => {
    const u = usage[p.pid];
    return { ...p, cpu: u ? u.cpu : null, memory: u ? u.memory : null, uptime_ms: u ? u.elapsed : null };
  });
}
