/**
 * Finds external processes (ones Sentinel does not own, such as the NetBird daemon) by executable name or by a
 * regular expression over the command line, in the process table platform/process-table.ts reads. CPU, memory and uptime come from pidusage.
 */
import { basename } from 'node:path';
import pidusage from 'pidusage';
import { listProcesses, type ProcessEntry } from '../../platform/process-table';

export interface ProcessQuery {
  /** Executable name: equal to the process's comm or to the base name of argv[0]. */
  name?: string;
  /** A regular expression (JavaScript syntax) over the whole command line. */
  match?: string;
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
