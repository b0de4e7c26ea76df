/**
 * `sentinel service install | uninstall | status`: keeps `sentinel run` alive at login, as `pm2 startup` does —
 * a LaunchAgent on macOS, a systemd user unit on Linux. Install and uninstall are idempotent (the file is
 * rewritten only when it changes; removing what is not there is fine). The OS commands (launchctl, systemctl) go
 * through `run`, so tests drive all of it with a temp HOME and a recorder; `load: false` writes the file only.
 *
 * One supervisor per data dir: install refuses when the menu-bar app starts at login over the same data dir. The
 * app records that in the data dir's store (the `start_at_login` setting it persists when a person turns it on).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadConfigFile } from '../core/config/load';
import { dbPath } from '../core/config/paths';
import { peekSetting } from '../core/store/settings-peek';
import { launchAgentPlist, launchctl, parseLaunchctlPrint } from '../platform/darwin/launch-agent';
import { systemctl, systemdUnit } from '../platform/linux/systemd-unit';
import { serviceLocation, type ServiceDef } from '../platform/service-def';

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
  spawnError?: string;
}

export interface ServiceEnv {
  platform: NodeJS.Platform;
  home: string;
  uid: number;
  /** PATH and XDG_CONFIG_HOME are read from here. */
  env: Record<string, string | undefined>;
  /** node and the CLI script: what the OS runs, followed by `run --data-dir … --config …`. */
  program: string[];
  /** Runs launchctl / systemctl. */
  run: (argv: string[]) => Promise<CommandResult>;
  /** false: write or remove the file, do not tell the OS (--no-load). */
  load: boolean;
}

export interface ServiceTarget {
  dataDir: string;
  configPath: string;
  /** The platform's default data dir: the service gets the plain name. */
  isDefaultDataDir: boolean;
}

export class ServiceRefusal extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'ServiceRefusal';
  }
}

interface Plan {
  kind: 'launchd' | 'systemd';
  name: string;
  file: string;
  content: string;
}

/** Grace added to the longest stop timeout: Sentinel closes its store and transports after the children. */
const STOP_SLACK_MS = 5_000;
const DEFAULT_STOP_MS = 10_000;

function plan(target: ServiceTarget, env: ServiceEnv): Plan {
  const dataDir = resolve(target.dataDir);
  const configPath = resolve(target.configPath);
  const def = (name: string): ServiceDef => ({
    name,
    programArgs: [...env.program, 'run', '--data-dir', dataDir, '--config', configPath],
    dataDir,
    logDir: join(dataDir, 'logs'),
    env: {
      SENTINEL_DATA_DIR: dataDir,
      SENTINEL_CONFIG: configPath,
      // The OS starts agents with a bare PATH; supervised commands expect the one the person has.
      PATH: env.env.PATH ?? '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin',
    },
    stopTimeoutMs: longestStop(configPath) + STOP_SLACK_MS,
    description: `Sentinel supervisor (data dir ${dataDir})`,
  });
  const where = serviceLocation({
    platform: env.platform,
    home: env.home,
    dataDir,
    isDefaultDataDir: target.isDefaultDataDir,
    configHome: env.env.XDG_CONFIG_HOME,
  });
  if (!where)
    throw new ServiceRefusal(`service: not supported on ${env.platform} (macOS launchd and Linux systemd are)`);
  const generate = where.kind === 'launchd' ? launchAgentPlist : systemdUnit;
  return { ...where, content: generate(def(where.name)) };
}

/** A config that does not load would make the OS restart a failing `sentinel run` for ever: refused up front. */
function longestStop(configPath: string): number {
  if (!existsSync(configPath)) return DEFAULT_STOP_MS;
  const config = loadConfigFile(configPath);
  return Math.max(DEFAULT_STOP_MS, ...config.processes.map((p) => p.stop.timeout));
}

export interface InstallResult {
  name: string;
  file: string;
  /** false when the file already had this content. */
  written: boolean;
  /** The OS commands run (empty with --no-load). */
  commands: string[][];
  notes: string[];
}

export async function installService(target: ServiceTarget, env: ServiceEnv): Promise<InstallResult> {
  if (peekSetting(dbPath(target.dataDir), 'start_at_login') === true) {
    throw new ServiceRefusal(
      `service: the menu-bar app starts at login and supervises ${target.dataDir}; two supervisors of one data dir ` +
        'would run every process twice. Turn off "Start at login" in the app first, or install for another --data-dir.',
    );
  }
  const p = plan(target, env);
  const written = !existsSync(p.file) || readFileSync(p.file, 'utf8') !== p.content;
  if (written) {
    mkdirSync(dirname(p.file), { recursive: true });
    mkdirSync(join(resolve(target.dataDir), 'logs'), { recursive: true, mode: 0o700 });
    writeFileSync(p.file, p.content, { mode: 0o644 });
  }
  const commands: string[][] = [];
  const notes: string[] = [];
  if (env.load) {
    const run = async (argv: string[], mayFail = false) => {
      commands.push(argv);
      const r = await env.run(argv);
      if (!mayFail && (r.spawnError || r.code !== 0))
        throw new ServiceRefusal(`service: \`${argv.join(' ')}\` failed: ${(r.spawnError ?? r.stderr).trim()}`);
      return r;
    };
    if (p.kind === 'launchd') {
      // bootstrap refuses a label that is loaded: unload first (not loaded is fine), so a changed plist applies.
      await run(launchctl.unload(env.uid, p.name), true);
      await run(launchctl.load(env.uid, p.file));
    } else {
      await run(systemctl.reload());
      await run(systemctl.enable(p.name));
      await run(systemctl.restart(p.name));
      notes.push(`without a login session it stops: \`loginctl enable-linger\` keeps it running`);
      notes.push(`its output: journalctl --user -u ${p.name}`);
    }
  }
  return { name: p.name, file: p.file, written, commands, notes };
}

export interface UninstallResult {
  name: string;
  file: string;
  removed: boolean;
  commands: string[][];
}

export async function uninstallService(target: ServiceTarget, env: ServiceEnv): Promise<UninstallResult> {
  const p = plan(target, env);
  const commands: string[][] = [];
  const present = existsSync(p.file);
  if (env.load && present) {
    // Unloading what is not loaded fails harmlessly; the file goes either way.
    const argv = p.kind === 'launchd' ? launchctl.unload(env.uid, p.name) : systemctl.disable(p.name);
    commands.push(argv);
    await env.run(argv);
  }
  rmSync(p.file, { force: true });
  if (env.load && present && p.kind === 'systemd') {
    commands.push(systemctl.reload());
    await env.run(systemctl.reload());
  }
  return { name: p.name, file: p.file, removed: present, commands };
}

export interface StatusResult {
  name: string;
  file: string;
  installed: boolean;
  /** What the OS says: "running", "active", "inactive", "not loaded" … null with --no-load. */
  state: string | null;
  pid: number | null;
}

export async function serviceStatus(target: ServiceTarget, env: ServiceEnv): Promise<StatusResult> {
  const p = plan(target, env);
  const installed = existsSync(p.file);
  if (!env.load) return { name: p.name, file: p.file, installed, state: null, pid: null };
  if (p.kind === 'launchd') {
    const r = await env.run(launchctl.status(env.uid, p.name));
    if (r.code !== 0) return { name: p.name, file: p.file, installed, state: 'not loaded', pid: null };
    const { state, pid } = parseLaunchctlPrint(r.stdout);
    return { name: p.name, file: p.file, installed, state, pid };
  }
  const r = await env.run(systemctl.isActive(p.name));
  return { name: p.name, file: p.file, installed, state: r.stdout.trim() || r.stderr.trim() || null, pid: null };
}
