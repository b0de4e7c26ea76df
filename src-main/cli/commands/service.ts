/** `sentinel service install | uninstall | status`: `sentinel run` kept alive at login by launchd or systemd. */
import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ConfigError, formatIssue } from '../../core/config/load';
import { resolvePaths } from '../../core/config/paths';
import { runCommand } from '../../core/diagnostics/run-command';
import { locate, printJson, withLocation, type LocationOptions } from '../client';
import { CliExit } from '../exit';
import type { ServiceEnv, ServiceTarget } from '../service-install';

type Options = LocationOptions & { load?: boolean; json?: boolean };

/**
 * Loaded by the service commands only: it pulls in plist (and its XML DOM and builder, ≈ 1.5 MB of heap) that
 * `sentinel run` never needs, and the CLI entry is the daemon's entry too.
 */
const serviceInstall = () => import('../service-install');

/** launchctl and systemctl answer in well under a second; a minute means something is wrong. */
const OS_COMMAND_TIMEOUT_MS = 60_000;

function context(opts: Options): { target: ServiceTarget; env: ServiceEnv } {
  const { dataDir, configPath } = locate(opts);
  const home = homedir();
  const script = process.argv[1] ? realpathSync(process.argv[1]) : '';
  return {
    target: {
      dataDir,
      configPath,
      isDefaultDataDir: resolve(dataDir) === resolve(resolvePaths({ env: {}, home }).dataDir),
    },
    env: {
      platform: process.platform,
      home,
      uid: process.getuid?.() ?? 0,
      env: process.env,
      program: [process.execPath, script],
      run: (argv) => runCommand(argv, { timeoutMs: OS_COMMAND_TIMEOUT_MS }),
      load: opts.load !== false,
    },
  };
}

async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const { ServiceRefusal } = await serviceInstall();
    if (err instanceof ServiceRefusal) throw new CliExit(err.exitCode, err.message);
    if (err instanceof ConfigError)
      throw new CliExit(
        2,
        [`service: the config would not start (invalid config ${err.source}):`, ...err.issues.map(formatIssue)].join(
          '\n',
        ),
      );
    throw err;
  }
}

export function registerService(program: Command): void {
  const service = program
    .command('service')
    .description('keep `sentinel run` alive at login (a LaunchAgent on macOS, a systemd user unit on Linux)');

  withLocation(service.command('install'))
    .description('write the LaunchAgent / user unit for this data dir and load it (again: idempotent)')
    .option('--no-load', 'only write the file; do not run launchctl / systemctl')
    .action((opts: Options) =>
      guarded(async () => {
        const { target, env } = context(opts);
        const r = await (await serviceInstall()).installService(target, env);
        const lines = [
          `${r.written ? 'wrote' : 'unchanged'} ${r.file}`,
          ...r.commands.map((c) => `ran: ${c.join(' ')}`),
          env.load
            ? `${r.name} runs \`sentinel run\` for ${target.dataDir} now and at every login`
            : 'not loaded (--no-load)',
          ...r.notes.map((n) => `note: ${n}`),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      }),
    );

  withLocation(service.command('uninstall'))
    .description('unload and remove the LaunchAgent / user unit of this data dir (nothing installed: fine)')
    .option('--no-load', 'only remove the file; do not run launchctl / systemctl')
    .action((opts: Options) =>
      guarded(async () => {
        const { target, env } = context(opts);
        const r = await (await serviceInstall()).uninstallService(target, env);
        const lines = [
          r.removed ? `removed ${r.file}` : `not installed (${r.file} does not exist)`,
          ...r.commands.map((c) => `ran: ${c.join(' ')}`),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      }),
    );

  withLocation(service.command('status'))
    .description('is the service installed, and what does launchd / systemd say about it')
    .option('--no-load', 'only look at the file; do not ask launchctl / systemctl')
    .option('--json', 'print JSON')
    .action((opts: Options) =>
      guarded(async () => {
        const { target, env } = context(opts);
        const r = await (await serviceInstall()).serviceStatus(target, env);
        if (opts.json) return printJson(r);
        const state = r.state === null ? '' : `, ${r.state}${r.pid ? ` (pid ${r.pid})` : ''}`;
        process.stdout.write(`${r.name}: ${r.installed ? `installed at ${r.file}` : 'not installed'}${state}\n`);
      }),
    );
}
