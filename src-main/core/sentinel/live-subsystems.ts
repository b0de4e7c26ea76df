/**
 * The real subsystems behind the ports of subsystems.ts: health checks and recovery, the failure history with
 * its reports and statistics, schedules, resource sampling and limits, and the Prometheus view of all of it.
 * Sentinel creates one set and hands config changes to it.
 */
import type { AlertNotice, EventName, EventPayload, OverallStatus, ProcessInfo } from '../../shared/contract';
import type { Config } from '../config/schema';
import { collectDiagnostics } from '../diagnostics/collect';
import { CrashEpisodes } from '../health/crash-episodes';
import { summarizeDiagnostics } from '../diagnostics/summarize';
import { HealthMonitor } from '../health/monitor';
import { ResourceMonitor } from '../limits/resource-monitor';
import { reportEnvironment } from '../reports/environment';
import { buildReport } from '../reports/report-markdown';
import { computeStats } from '../reports/stats';
import { Scheduler } from '../scheduler/scheduler';
import type { Db } from '../store/db';
import { FailuresRepo } from '../store/failures-repo';
import { queryLogs } from '../store/logs-repo';
import type { Supervisor, TransitionEvent } from '../supervisor/supervisor';
import type { Logger } from '../util/logger';
import { SentinelError } from '../../shared/errors';
import { Alerting } from './alerting';
import type { Subsystems } from './subsystems';

export interface LiveSubsystems extends Subsystems {
  start(): void;
  /** Someone shows CPU/memory live: every process is sampled while the watch lasts. Returns its end. */
  watchUsage(): () => void;
  setConfig(config: Config): void;
  /** Adds what the supervisor does not know to a process: CPU, memory, schedule. */
  enrich(info: ProcessInfo): ProcessInfo;
  /** A person restarted or stopped `name`: not a failure; recovery leaves it alone until it is up. */
  personActed(name: string): void;
  /** The health loop's last tick and its period, for liveness. */
  loop(): { lastTickAt: number; tickPeriod: number };
  /** Alerts: Sentinel hands it every failure event it emits, whoever recorded the failure. */
  alerting: Alerting;
}

export interface LiveDeps {
  db: Db;
  config: () => Config;
  supervisor: Supervisor;
  logger: Logger;
  now: () => number;
  version: string;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /** The one dry-run answer (the runtime setting, persisted; the config's value until someone changes it). */
  dryRun: () => boolean;
  /** Shows a desktop alert (the app listens for `alert.raised`); false when nobody listens. */
  showDesktop(notice: AlertNotice): boolean;
}

/** Log lines a report quotes: the service's own output just before the failure. */
const REPORT_LOG_LINES = 200;
/** Log lines in a failure's detail (the report carries more). */
const DETAIL_LOG_LINES = 30;
/** Statistics read at most this many failures (years of history for a laptop). */
const STATS_MAX = 100_000;

export function liveSubsystems(d: LiveDeps): LiveSubsystems {
  const { db, supervisor, now } = d;
  const failures = new FailuresRepo(db);
  const monitor = new HealthMonitor({
    db,
    config: d.config(),
    supervisor: {
      pidOf: (n) => supervisor.pidOf(n),
      info: (n) => (supervisor.names().includes(n) ? supervisor.info(n) : undefined),
      restart: (n) => supervisor.restart(n),
      onChange: (listener) => {
        const l = (info: ProcessInfo) => listener(info.name);
        supervisor.on('process.changed', l);
        return () => void supervisor.off('process.changed', l);
      },
    },
    logger: d.logger.child('health'),
    now,
    diagnose: (c) => collectDiagnostics({ service: c.service, pids: c.pids, sinceMs: c.since }),
    dryRun: d.dryRun,
  });
  // Failing store writes (a full disk) do not stop supervision, but the status must say so.
  const withStore = (s: OverallStatus): OverallStatus =>
    supervisor.storeError !== null && s.status === 'green'
      ? { ...s, status: 'yellow', reason: `store degraded: ${supervisor.storeError}`, rule: 'store writes fail' }
      : s;
  /** THE overall status: status.get and every pushed status.changed come from here. */
  const overall = (): OverallStatus => withStore(monitor.status());
  monitor.on('status.changed', () => d.emit('status.changed', overall()));
  supervisor.on('store', () => d.emit('status.changed', overall()));
  monitor.on('failure.created', (f) => d.emit('failure.created', f));
  monitor.on('failure.updated', (f) => d.emit('failure.updated', f));
  const alerting = new Alerting({
    db,
    config: d.config,
    logger: d.logger,
    now,
    storeError: () => supervisor.storeError,
    showDesktop: (n) => d.showDesktop(n),
  });
  monitor.on('check.result', (r) => alerting.checkResult(r));
  supervisor.on('transition', (t: TransitionEvent) => alerting.processTransition(t));

  const scheduler = new Scheduler({ db, supervisor, logger: d.logger.child('scheduler'), now });
  const resources = new ResourceMonitor({
    db,
    supervisor,
    logger: d.logger.child('limits'),
    now,
    retentionMs: d.config().settings.retention.metrics,
    dryRun: d.dryRun,
  });
  resources.on('limit', (e) => {
    d.logger.warn(`limit: ${e.reason}`, { process: e.process });
    alerting.limit(e);
  });
  resources.on('usage', (samples) => d.emit('processes.usage', samples));

  // Crash loops and limit actions are failures too, with their own rows.
  const episodes = new CrashEpisodes({
    failures,
    now,
    logger: d.logger.child('failures'),
    lastLogs: (process, limit) => queryLogs(db, { process, before_id: undefined, limit }),
    resetAfter: (name) => d.config().processes.find((p) => p.name === name)?.restart.reset_after,
    diagnose: (service, pids, sinceMs) => collectDiagnostics({ service, pids, sinceMs }),
    dryRun: d.dryRun,
    onCreated: (f) => d.emit('failure.created', f),
    onUpdated: (f) => d.emit('failure.updated', f),
  });
  supervisor.on('process.changed', (info: ProcessInfo) => episodes.onProcess(info));
  resources.on('limit', (e) => episodes.onLimit(e));

  const enrich = (info: ProcessInfo): ProcessInfo => {
    const usage = resources.latest(info.name);
    return { ...info, cpu: usage?.cpu ?? null, memory: usage?.memory ?? null, schedule: scheduler.info(info.name) };
  };
  /** A failed service's last log lines up to its recovery (or now): what the report and the detail show. */
  const lastLogsOf = (failure: { service: string; recovered_at: number | null }, limit: number) =>
    queryLogs(db, { process: failure.service, before_id: undefined, limit }).filter(
      (l) => l.at <= (failure.recovered_at ?? now()),
    );
  const failureOrThrow = (id: number) => {
    const f = failures.get(id);
    if (!f) throw new SentinelError('not_found', `no failure #${id}`, 'id');
    return f;
  };
  const apply = (config: Config) => {
    scheduler.setSpecs(config.processes);
    resources.setSpecs(config.processes);
  };

  return {
    health: {
      status: overall,
      runChecks: async () => withStore(await monitor.runAll()),
      notifyWake: () => monitor.notifyWake(),
      restartService: (name) =>
        d.config().services.some((s) => s.name === name) ? monitor.restartService(name) : undefined,
      close: () => {
        episodes.stop();
        monitor.stop();
      },
    },
    failures: {
      list: (args) => failures.list(args),
      get: (id) => {
        const failure = failureOrThrow(id);
        return {
          ...failure,
          diagnostics_summary: summarizeDiagnostics(failure.diagnostics, { maxItems: 30, maxChars: 4000 }),
          last_logs: lastLogsOf(failure, DETAIL_LOG_LINES),
        };
      },
      report: (id) => {
        const failure = failureOrThrow(id);
        const logs = lastLogsOf(failure, REPORT_LOG_LINES);
        const spec =
          d.config().processes.find((p) => p.name === failure.service) ??
          d.config().services.find((s) => s.name === failure.service);
        const env = {
          ...(process.env as Record<string, string>),
          ...('env' in (spec ?? {}) ? (spec as { env: Record<string, string> }).env : {}),
        };
        return {
          markdown: buildReport({ failure, logs, environment: reportEnvironment(d.version), config: spec, env }),
        };
      },
      stats: (args) => {
        const since = args.since ?? 0;
        const { items } = failures.list({
          since,
          ...(args.service ? { service: args.service } : {}),
          limit: STATS_MAX,
          offset: 0,
        });
        return computeStats(items, { since, now: now() });
      },
    },
    schedules: {
      list: () => scheduler.list(),
      setEnabled: (process, enabled) => {
        if (!scheduler.setEnabled(process, enabled))
          throw new SentinelError('not_found', `"${process}" has no schedule`, 'process');
        return { ok: true };
      },
      close: () => scheduler.dispose(),
    },
    metrics: {
      get: ({ process, since }) => ({ samples: resources.samples(process, since ?? 0) }),
      refresh: (maxAgeMs) => resources.refresh(maxAgeMs),
      close: () => resources.stop(),
    },
    alerts: { test: (channel) => alerting.test(channel) },
    loop: () => ({ lastTickAt: monitor.lastTickAt, tickPeriod: monitor.tickPeriod() }),
    alerting,
    start() {
      alerting.start();
      apply(d.config());
      scheduler.start();
      resources.start();
      monitor.start();
    },
    setConfig(config) {
      apply(config);
      alerting.setConfig(config);
      monitor.setConfig(config);
    },
    watchUsage: () => resources.watch(),
    enrich,
    personActed: (name) => monitor.notePersonAction(name),
  };
}
