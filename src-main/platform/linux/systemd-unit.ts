/**
 * The systemd user unit that keeps `sentinel run` alive: ~/.config/systemd/user/<name>.service, enabled for
 * default.target (the user's session; `loginctl enable-linger` keeps it running without one). Restart=always
 * restarts it after any exit; KillMode=mixed lets Sentinel stop its own children with their graces before systemd
 * kills what is left. Output goes to the journal. Pure: generators and argv builders only.
 */
import type { ServiceDef } from '../service-def';

/**
 * One word of a unit file line: quoted when needed (systemd's C-style escapes), with the specifier character %
 * and variable expansion $ escaped so a path is taken literally.
 */
export function unitWord(word: string): string {
  const escaped = word.replace(/%/g, '%%').replace(/\$/g, '$$$$');
  if (/^[A-Za-z0-9_@%$+=:,./-]+$/.test(escaped)) return escaped;
  return `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

export function systemdUnit(def: ServiceDef): string {
  const env = Object.entries(def.env).map(([k, v]) => `Environment=${unitWord(`${k}=${v}`)}`);
  return [
    '[Unit]',
    `Description=${def.description.replace(/%/g, '%%').replace(/\n/g, ' ')}`,
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${def.programArgs.map(unitWord).join(' ')}`,
    // The whole value is the path (no quoting here), but specifiers still expand: % is escaped.
    `WorkingDirectory=${def.dataDir.replace(/%/g, '%%')}`,
    ...env,
    'Restart=always',
    'RestartSec=2',
    'KillMode=mixed',
    `TimeoutStopSec=${Math.max(20, Math.ceil(def.stopTimeoutMs / 1000))}`,
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}

export const systemctl = {
  reload: () => ['systemctl', '--user', 'daemon-reload'],
  enable: (name: string) => ['systemctl', '--user', 'enable', `${name}.service`],
  restart: (name: string) => ['systemctl', '--user', 'restart', `${name}.service`],
  disable: (name: string) => ['systemctl', '--user', 'disable', '--now', `${name}.service`],
  isActive: (name: string) => ['systemctl', '--user', 'is-active', `${name}.service`],
  isEnabled: (name: string) => ['systemctl', '--user', 'is-enabled', `${name}.service`],
};
