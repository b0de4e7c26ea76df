/**
 * What `sentinel service install` registers with the OS, whatever the OS: a name derived from the data dir (one
 * service per data dir, as there is one supervisor per data dir), the command line of `sentinel run`, where its
 * output goes, and how long a stop may take. The launchd and systemd generators turn this into their files.
 */
import { createHash } from 'node:crypto';

export interface ServiceDef {
  /** launchd label / systemd unit name without ".service". */
  name: string;
  /** argv: node, the CLI script, run, --data-dir …, --config … */
  programArgs: string[];
  dataDir: string;
  /** stdout/stderr of `sentinel run` where the OS writes them to files (launchd). */
  logDir: string;
  env: Record<string, string>;
  /** The longest stop grace of the config plus slack: the OS must not SIGKILL Sentinel while it stops children. */
  stopTimeoutMs: number;
  description: string;
}

export const LAUNCHD_LABEL = 'app.sentinel.run';
export const SYSTEMD_UNIT = 'sentinel';

/** Same data dir → same name (install is idempotent); another data dir → another service, side by side. */
export function serviceName(base: string, dataDir: string, isDefaultDataDir: boolean, sep: string): string {
  if (isDefaultDataDir) return base;
  return `${base}${sep}${createHash('sha256').update(dataDir).digest('hex').slice(0, 8)}`;
}
