/**
 * The API as the daemon implements it: one function per contract channel, each a few lines that delegate to
 * the supervisor, the settings store, the config or a subsystem port. Transports (socket, HTTP, IPC) validate
 * inputs before these run, so a handler only refuses what depends on state (unknown names, invalid YAML).
 */
import type { AppSettings, Handlers, LogLine, ProcessInfo, RequestArgs, Target } from '../../shared/contract';
import { diffConfigs, type NamedDiff } from '../config/diff';
import { ConfigError, formatIssue, loadConfigText } from '../config/load';
import type { Config, ProcessSpec } from '../config/schema';
import { UnknownProcessError } from '../supervisor/supervisor';
import { SentinelError } from '../../shared/errors';
import type { SettingsStore } from './settings-store';
import type { Subsystems } from './subsystems';
import { resolveTarget, type NameSource } from './targets';

/** What the handlers need of the supervisor (supervisor/supervisor.ts implements it). */
export interface ProcessCommands extends NameSource {
  setSpecs(specs: ProcessSpec[]): NamedDiff;
  start(name: string): unknown;
  stop(name: string): unknown;
  restart(name: string): unknown;
  list(): ProcessInfo[];
}

export interface HandlerContext {
  version: string;
  supervisor: ProcessCommands;
  subsystems: Subsystems;
  settings: SettingsStore;
  queryLogs(args: RequestArgs<'logs.query'>): LogLine[];
  /** Login items live in the Electron shell; the daemon alone reports "unsupported". */
  loginItemStatus(): AppSettings['login_item_status'];
  config(): { config: Config; yaml: string; path: string | null };
  /** Makes `next` the running config (and saves `yaml` to the config file when there is one). */
  replaceConfig(next: Config, yaml: string): void;
  emitSettings(settings: AppSettings): void;
}

/** CPU/memory figures up to this old are shown as they are; older ones are sampled again for a status answer. */
const USAGE_FRESH_MS = 5_000;

export function createHandlers(ctx: HandlerContext): Handlers {
  const appSettings = (): AppSettings => {
    const { logs, api } = ctx.config().config.settings;
    return {
      ...ctx.settings.get(),
      login_item_status: ctx.loginItemStatus(),
      log_retention: { max_lines: logs.max_lines, max_bytes: logs.max_bytes },
      api_port: api.port,
    };
  };
  const each = async (target: Target, action: (name: string) => unknown) => {
    const names = resolveTarget(target, ctx.supervisor);
    try {
      await Promise.all(names.map((n) => action(n)));
    } catch (err) {
      // A config.apply may remove a process between resolving the target and acting on it.
      if (err instanceof UnknownProcessError) throw new SentinelError('not_found', err.message, 'name');
      throw err;
    }
    return { affected: names };
  };

  // Processes without limits are not sampled at rest: a status request samples them if their figures are stale.
  const fresh = async () => {
    await ctx.subsystems.metrics.refresh?.(USAGE_FRESH_MS);
    return ctx.supervisor.list();
  };

  return {
    'status.get': async () => ({
      overall: ctx.subsystems.health.status(),
      processes: await fresh(),
      version: ctx.version,
      dry_run: ctx.settings.get().dry_run,
    }),
    'processes.list': () => fresh(),
    'processes.start': (t) => each(t, (n) => ctx.supervisor.start(n)),
    'processes.stop': (t) => each(t, (n) => ctx.supervisor.stop(n)),
    'processes.restart': (t) => each(t, (n) => ctx.supervisor.restart(n)),
    'services.restart': async ({ name }) => {
      const external = ctx.subsystems.health.restartService(name);
      if (external) return external;
      if (!ctx.supervisor.names().includes(name))
        throw new SentinelError('not_found', `no service or process named "${name}"`, 'name');
      await ctx.supervisor.restart(name);
      return { ok: true, message: `restarted ${name}` };
    },
    'checks.run': () => ctx.subsystems.health.runChecks(),
    'failures.list': (args) => ctx.subsystems.failures.list(args),
    'failures.get': ({ id }) => ctx.subsystems.failures.get(id),
    'failures.report': ({ id }) => ctx.subsystems.failures.report(id),
    'stats.get': (args) => ctx.subsystems.failures.stats(args),
    'logs.query': (args) => {
      return { lines: ctx.queryLogs(args) };
    },
    'metrics.get': (args) => ctx.subsystems.metrics.get(args),
    'schedules.list': () => ctx.subsystems.schedules.list(),
    'schedules.set': ({ process, enabled }) => ctx.subsystems.schedules.setEnabled(process, enabled),
    'alerts.test': async ({ channel }) => ({ results: await ctx.subsystems.alerts.test(channel) }),
    'settings.get': () => appSettings(),
    'settings.set': (patch) => {
      ctx.settings.set(patch);
      const next = appSettings();
      ctx.emitSettings(next);
      return next;
    },
    'config.get': () => {
      const { yaml, path } = ctx.config();
      return { yaml, path };
    },
    'config.apply': ({ yaml, dry_run }) => {
      const next = parseForApply(yaml);
      const diff = diffConfigs(ctx.config().config, next);
      if (!dry_run) ctx.replaceConfig(next, yaml);
      return mergeDiffs(diff.processes, diff.services);
    },
  };
}

function parseForApply(yaml: string): Config {
  try {
    return loadConfigText(yaml, 'config.apply');
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw new SentinelError('bad_request', err.issues.map(formatIssue).join('; '), err.issues[0]?.path || 'yaml');
  }
}

/** The contract reports one list per kind of change, processes and services together (names are unique across both). */
function mergeDiffs(a: NamedDiff, b: NamedDiff): NamedDiff {
  return {
    added: [...a.added, ...b.added],
    removed: [...a.removed, ...b.removed],
    changed: [...a.changed, ...b.changed],
    unchanged: [...a.unchanged, ...b.unchanged],
  };
}
