/**
 * `ps` is the same on macOS and Linux for the columns we ask for, so one command and one parser serve both.
 * We list every process and pick the service's pids plus their descendants in-process: a supervised command is
 * often a shell or launcher whose real work happens in children.
 */
import { fields, lines } from './text';

export interface ProcessRow {
  pid: number;
  ppid: number;
  user: string;
  state: string;
  elapsed_ms: number;
  cpu_percent: number;
  rss_bytes: number;
  command: string;
}

export const PS_COLUMNS = 'pid,ppid,user,stat,etime,pcpu,rss,args';

export function psCommand(): string[] {
  return ['ps', '-ww', '-A', '-o', PS_COLUMNS];
}

/** "[[dd-]hh:]mm:ss" → ms. */
export function parseElapsed(text: string): number {
  const m = /^(?:(?:(\d+)-)?(\d+):)?(\d+):(\d+)$/.exec(text.trim());
  if (!m) throw new Error(`ps: elapsed time "${text}" is not [[dd-]hh:]mm:ss`);
  const [, d = '0', h = '0', min, s] = m;
  return (((Number(d) * 24 + Number(h)) * 60 + Number(min)) * 60 + Number(s)) * 1000;
}

export function parsePs(raw: string): ProcessRow[] {
  const rows = lines(raw);
  const header = rows.shift();
  if (!header || !/^\s*PID\s+PPID/.test(header)) throw new Error('ps: expected a header line starting with "PID PPID"');
  return rows.map((line) => {
    const f = fields(line, 8);
    if (f.length < 7) throw new Error(`ps: cannot read line "${line}"`);
    return {
      pid: Number(f[0]),
      ppid: Number(f[1]),
      user: f[2]!,
      state: f[3]!,
      elapsed_ms: parseElapsed(f[4]!),
      cpu_percent: Number(f[5]),
      rss_bytes: Number(f[6]) * 1024,
      command: f[7] ?? '',
    };
  });
}

/** The given pids and all their descendants; with no pids, the processes whose command line mentions the service. */
export function selectProcesses(
  rows: ProcessRow[],
  { pids, service }: { pids: number[]; service: string },
): ProcessRow[] {
  if (pids.length === 0) return rows.filter((r) => service !== '' && r.command.includes(service));
  const wanted = new Set(pids);
  // Children can appear before their parents in ps output, so grow the set until it stops changing.
  for (let grew = true; grew;) {
    grew = false;
    for (const r of rows) {
      if (!wanted.has(r.pid) && wanted.has(r.ppid)) {
        wanted.add(r.pid);
        grew = true;
      }
    }
  }
  return rows.filter((r) => wanted.has(r.pid));
}
