/**
 * The daemon's composition root: config + store + logger + supervisor (+ the subsystems behind their ports),
 * the API handlers over them, and the events windows and CLI subscribe to. Pure Node: the Electron shell, the
 * HTTP server and the Unix socket all sit on top of `handlers` and `subscribe`.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';
import type {
  AppSettings,
  EventArgs,
  EventListener,
  EventName,
  EventPayload,
  Handlers,
  LogLine,
  ProcessInfo,
} from '../shared/contract';
import pkg from '../../package.json';
import { DEFAULT_CONFIG_YAML } from './config/default-config';
import { loadConfigText, readConfigText } from './config/load';
import { ConfigWatcher } from './config/watch';
import { dbPath } from './config/paths';
import { startsAtLoad, type Config } from './config/schema';
import { createLogger } from './logging';
import { createHandlers } from './sentinel/handlers';
import { SettingsStore } from './sentinel/settings-store';
import { liveSubsystems, type LiveSubsystems } from './sentinel/live-subsystems';
import { liveness, type LivenessReason } from './sentinel/liveness';
import { openDb, probeDb, type Db } from './store/db';
import { queryLogs } from './store/logs-repo';
import { reconcile } from './supervisor/reconcile';
import { Supervisor } from './supervisor/supervisor';
import type { Logger } from './util/logger';

export interface SentinelOptions {
  /** The YAML file; created with the default config when missing. null: run `config` without a file. */
  configPath?: string | null;
  /** An already validated config (tests, importers); wins over reading `configPath`. */
  config?: Config;
  dataDir: string;
  logger?: Logger;
  now?: () => number;
}

export type SentinelListener = EventListener;

export class Sentinel {
  readonly handlers: Handlers;
  private readonly listeners = new Set<SentinelListener>();
  /** Captured lines are only turned into events while someone listens: the supervisor skips the work otherwise. */
  private readonly forwardLogs = (lines: LogLine[]) => this.emit('logs.appended', lines);
  private readonly subsystems: LiveSubsystems;
  private closed = false;
  private dryRun: boolean;
  private readonly settings: SettingsStore;
  private started = false;
  private watcher: ConfigWatcher<{ config: Config; yaml: string }> | undefined;

  private constructor(
    readonly dataDir: string,
    readonly db: Db,
    readonly supervisor: Supervisor,
    public config: Config,
    /** The text the config came from, so config.get returns the user's comments rather than a re-serialisation. */
    private configYaml: string,
    public configPath: string | null,
    readonly logger: Logger,
    private readonly now: () => number,
  ) {
    const settings = new SettingsStore(db, () => ({
      start_at_login: false,
      notifications: this.config.settings.notifications,
      dry_run: this.config.settings.dry_run,
    }));
    // Dry run has one answer: the stored setting (a person's runtime choice, persisted), else the config's value.
    // Kept in memory so recovery and limits never read a closed store.
    this.dryRun = settings.get().dry_run;
    this.subsystems = liveSubsystems({
      db,
      config: () => this.config,
      supervisor,
      logger,
      now,
      version: pkg.version,
      emit: (event, payload) => this.emit(event, payload),
      dryRun: () => this.dryRun,
      showDesktop: (notice) => {
        if (this.listeners.size === 0) return false;
        this.emit('alert.raised', notice);
        return true;
      },
    });
    this.settings = settings;
    const enrich = this.subsystems.enrich;
    this.handlers = createHandlers({
      version: pkg.version,
      // The handlers see processes with their CPU, memory and schedule filled in.
      supervisor: {
        names: () => supervisor.names(),
        groupMembers: (g) => supervisor.groupMembers(g),
        setSpecs: (specs) => supervisor.setSpecs(specs),
        start: (n) => supervisor.start(n),
        // A person's stop or restart is not a failure, and recovery does not restart on top of it.
        stop: (n) => {
          this.subsystems.personActed(n);
          return supervisor.stop(n);
        },
        restart: (n) => {
          this.subsystems.personActed(n);
          return supervisor.restart(n);
        },
        list: () => supervisor.list().map(enrich),
      },
      subsystems: this.subsystems,
      settings,
      queryLogs: (args) => queryLogs(db, args),
      loginItemStatus: () => 'unsupported',
      config: () => ({ config: this.config, yaml: this.configYaml, path: this.configPath }),
      replaceConfig: (next, yaml) => this.replaceConfig(next, yaml, { save: true }),
      emitSettings: (s: AppSettings) => {
        this.dryRun = s.dry_run;
        this.emit('settings.changed', s);
      },
    });
    supervisor.on('process.changed', (info: ProcessInfo) => this.emit('process.changed', enrich(info)));
  }

  /** Reads (or creates) the config first, so a bad file fails before anything is opened or started. */
  static async open(opts: SentinelOptions): Promise<Sentinel> {
    const now = opts.now ?? Date.now;
    const configPath = opts.configPath ?? null;
    const { config, yaml } = opts.config
      ? { config: opts.config, yaml: stringify(opts.config) }
      : readOrCreateConfig(configPath);
    mkdirSync(opts.dataDir, { recursive: true });
    const db = openDb(dbPath(opts.dataDir));
    try {
      const logger = opts.logger ?? createLogger({ dataDir: opts.dataDir, level: config.settings.log_level, db });
      const supervisor = new Supervisor({
        db,
        logger: logger.child('supervisor'),
        logRetention: config.settings.logs,
        now,
      });
      return new Sentinel(opts.dataDir, db, supervisor, config, yaml, configPath, logger, now);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /**
   * Pushed events; returns the unsubscribe function. A throwing listener is logged, never breaks the others.
   * `events` narrows what the listener wants: a listener that wants `processes.usage` (every listener without a
   * list, such as a window) keeps the CPU/memory sampling of all processes on while it is subscribed.
   */
  subscribe(listener: SentinelListener, events?: readonly EventName[]): () => void {
    const wanted = events ? new Set(events) : null;
    const l: SentinelListener = wanted
      ? (...args) => {
          if (wanted.has(args[0])) listener(...args);
        }
      : listener;
    this.listeners.add(l);
    if (this.listeners.size === 1) this.supervisor.on('logs', this.forwardLogs);
    const unwatch = !wanted || wanted.has('processes.usage') ? this.subsystems.watchUsage() : undefined;
    return () => {
      unwatch?.();
      if (this.listeners.delete(l) && this.listeners.size === 0) this.supervisor.off('logs', this.forwardLogs);
    };
  }

  /** Cleans up after a crashed predecessor, then runs the config's processes and follows edits of the file. */
  async start(): Promise<void> {
    await reconcile(this.db, { logger: this.logger.child('reconcile') });
    this.supervisor.setSpecs(this.config.processes);
    await this.supervisor.startAutostart();
    this.subsystems.start();
    if (this.configPath) await this.watchConfig(this.configPath);
    this.started = true;
    this.logger.info('sentinel started', {
      processes: this.config.processes.length,
      services: this.config.services.length,
      dataDir: this.dataDir,
    });
  }

  /** Hot reload: a valid edit is applied as a diff; an invalid one is logged and the running config stays. */
  private async watchConfig(file: string): Promise<void> {
    const watcher = new ConfigWatcher<{ config: Config; yaml: string }>({
      file,
      load: (f) => {
        const yaml = readConfigText(f);
        return { config: loadConfigText(yaml, f), yaml };
      },
      apply: ({ config, yaml }) => this.replaceConfig(config, yaml, { save: false }),
      logger: this.logger,
    });
    watcher.on('rejected', (r) =>
      this.logger.warn('config edit refused; the running config stays', { file: r.file, reason: r.reason }),
    );
    await watcher.start();
    this.watcher = watcher;
  }

  /**
   * The OS says the machine woke (Electron's powerMonitor `resume`): checks get their wake grace at once, rather
   * than when the health monitor next notices the clock jump.
   */
  notifyWake(): void {
    if (!this.closed) this.subsystems.health.notifyWake();
  }

  /** For GET /healthz: null when supervising with a working store, else one word why not (see liveness.ts). */
  liveness(): LivenessReason | null {
    return liveness({
      phase: this.closed ? 'closing' : this.started ? 'running' : 'opened',
      storeError: this.supervisor.storeError,
      probeStore: () => probeDb(this.db),
      ...this.subsystems.loop(),
      now: this.now(),
    });
  }

  /**
   * Stops the subsystems first (no check, recovery, schedule or limit acts any more; their in-flight work writes
   * nothing), then every child with its stop grace, then the store. Idempotent. In the other order a recovery in
   * flight restarted children during the shutdown and kept writing to a closed store.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.watcher?.stop();
    // Schedules and recovery start processes: stop them first, or one firing during the shutdown leaves a child.
    await this.subsystems.health.close();
    await this.subsystems.schedules.close();
    await this.supervisor.shutdown();
    await this.subsystems.metrics.close();
    await this.subsystems.alerting.close();
    this.listeners.clear();
    this.supervisor.off('logs', this.forwardLogs);
    this.logger.info('sentinel stopped');
    this.db.close();
  }

  private emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    // Alerts follow the failure record wherever it was written (health recovery, the supervisor's crash loops).
    if (event === 'failure.created')
      this.subsystems.alerting.failureCreated(payload as EventPayload<'failure.created'>);
    else if (event === 'failure.updated')
      this.subsystems.alerting.failureUpdated(payload as EventPayload<'failure.updated'>);
    // A generic (event, payload) pair is one of the EventArgs tuples; TypeScript cannot see that through E.
    const args = [event, payload] as EventArgs;
    for (const listener of this.listeners) {
      try {
        listener(...args);
      } catch (err) {
        this.logger.warn('event listener failed', { event, error: (err as Error).message });
      }
    }
  }

  /** Makes `next` the running config; `save` writes the text back to the file (config.apply, not hot reload). */
  private replaceConfig(next: Config, yaml: string, { save }: { save: boolean }): void {
    const diff = this.supervisor.setSpecs(next.processes);
    // setSpecs leaves added processes stopped; a new autostart process is expected to run, as at start-up.
    for (const spec of next.processes) {
      if (!diff.added.includes(spec.name) || !startsAtLoad(spec)) continue;
      this.supervisor
        .start(spec.name)
        .catch((err: Error) =>
          this.logger.error(`starting added process "${spec.name}" failed`, { error: err.message }),
        );
    }
    this.config = next;
    this.configYaml = yaml;
    this.subsystems.setConfig(next);
    // The config's dry_run is the default until a person sets it at runtime.
    this.dryRun = this.settings.get().dry_run;
    if (save && this.configPath) writeFileSync(this.configPath, yaml);
    this.logger.info('config applied', { ...diff });
  }
}

/** Reads and validates the config (creating the default file when missing); throws ConfigError naming the fields. */
export function readOrCreateConfig(configPath: string | null): { config: Config; yaml: string } {
  if (configPath === null)
    return { config: loadConfigText(DEFAULT_CONFIG_YAML, 'default config'), yaml: DEFAULT_CONFIG_YAML };
  if (!existsSync(configPath)) {
    mkdirSync(dirname(configPath), { recursive: true });
    writeFileSync(configPath, DEFAULT_CONFIG_YAML, { flag: 'wx' });
  }
  const yaml = readConfigText(configPath);
  return { config: loadConfigText(yaml, configPath), yaml };
}
