/**
 * The LaunchAgent that keeps `sentinel run` alive in the user's session: ~/Library/LaunchAgents/<label>.plist,
 * loaded with `launchctl bootstrap gui/<uid>`. KeepAlive restarts it whenever it exits (launchd throttles to one
 * start per ThrottleInterval), RunAtLoad starts it at login. Pure: generators and argv builders only.
 */
import { join } from 'node:path';
import plist from 'plist';
import type { ServiceDef } from '../service-def';

export function launchAgentPlist(def: ServiceDef): string {
  return plist.build({
    Label: def.name,
    ProgramArguments: def.programArgs,
    RunAtLoad: true,
    KeepAlive: true,
    ThrottleInterval: 10,
    // launchd's default is 20 s, then SIGKILL: Sentinel needs its children's stop graces.
    ExitTimeOut: Math.max(20, Math.ceil(def.stopTimeoutMs / 1000)),
    WorkingDirectory: def.dataDir,
    EnvironmentVariables: def.env,
    StandardOutPath: join(def.logDir, 'service.out.log'),
    StandardErrorPath: join(def.logDir, 'service.err.log'),
  });
}

export const launchctl = {
  load: (uid: number, file: string) => ['launchctl', 'bootstrap', `gui/${uid}`, file],
  unload: (uid: number, label: string) => ['launchctl', 'bootout', `gui/${uid}/${label}`],
  status: (uid: number, label: string) => ['launchctl', 'print', `gui/${uid}/${label}`],
};

/** `launchctl print` output → running pid (null when loaded but not running). */
export function parseLaunchctlPrint(text: string): { state: string | null; pid: number | null } {
  const state = /^\s*state = (.+)$/m.exec(text)?.[1]?.trim() ?? null;
  const pid = /^\s*pid = (\d+)$/m.exec(text)?.[1];
  return { state, pid: pid === undefined ? null : Number(pid) };
}
