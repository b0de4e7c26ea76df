/**
 * What `sentinel service install` registers with the OS, whatever the OS: a name derived from the data dir (one
 * service per data dir, as there is one supervisor per data dir), the command line of `sentinel run`, where its
 * output goes, and how long a stop may take. The launchd and systemd generators turn this into their files.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';

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

/**
 * Where the service of a data dir lives (whether or not it is installed): the LaunchAgent plist on macOS, the user
 * unit on Linux; null elsewhere. Shared by `sentinel service` and the app (which will not start at login over a
 * data dir a service already supervises).
 */
export function serviceLocation(p: {
  platform: NodeJS.Platform;
  home: string;
  dataDir: string;
  isDefaultDataDir: boolean;
  configHome?: string | undefined;
}): { kind: 'launchd' | 'systemd'; name: string; file: string } | null {
  if (p.platform === 'darwin') {
    const name = serviceName(LAUNCHD_LABEL, p.dataDir, p.isDefaultDataDir, '.');
    return { kind: 'launchd', name, file: join(p.home, 'Library', 'LaunchAgents', `${name}.plist`) };
  }
  if (p.platform === 'linux') {
    const name = serviceName(SYSTEMD_UNIT, p.dataDir, p.isDefaultDataDir, '-');
    const file = join(p.configHome || join(p.home, '.config'), 'systemd', 'user', `${name}.service`);
    return { kind: 'systemd', name, file };
  }
  return null;
}
