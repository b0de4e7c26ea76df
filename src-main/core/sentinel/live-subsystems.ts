/**
 * The real subsystems behind the ports of subsystems.ts: health checks and recovery, the failure history with
 * its reports and statistics, schedules, resource sampling and limits, and the Prometheus view of all of it.
 * Sentinel creates one set and hands config changes to it.
 */
import type { EventName, EventPayload, OverallStatus, ProcessInfo } from '../../shared/contract';
import type { Config } from '../config/schema';
import { collectDiagnostics } from '../diagnostics/collect';
import { HealthMonitor } from '../health/monitor';
import { ResourceMonitor } from '../limits/resource-monitor';
import { reportEnvironment } from '../reports/environment';
import { buildReport } from '../reports/report-markdown';
import { computeStats } from '../reports/stats';
import { Scheduler } from '../scheduler/scheduler';
import type { Db } from '../store/db';
import { FailuresRepo } from '../store/failures-repo';
import { queryLogs } from '../supervisor/log-capture';
import type { Supervisor } from '../supervisor/supervisor';
import type { Logger } from '../util/logger';
import { SentinelError } from '../../shared/errors';
import type { Subsystems } from './subsystems';

export interface LiveSubsystems extends Subsystems {
  start(): void;
  /** Someone shows CPU/memory live: every process is sampled while the watch lasts. Returns its end. */
  watchUsage(): () => void;
  setConfig(config: Config): void;
  /** Adds what the supervisor does not know to a process: CPU, memory, schedule. */
  enrich(info: ProcessInfo): ProcessInfo;
}

export interface LiveDeps {
  db: Db;
  config: () => Config;
  supervisor: Supervisor;
  logger: Logger;
  now: () => number;
  version: string;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
}

/** Log lines a report quotes: the service's own output just before the failure. */
const REPORT_LOG_LINES = 200;
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
  });
  monitor.on('status.changed', (s) => d.emit('status.changed', s));
  monitor.on('failure.created', (f) => d.emit('failure.created', f));
  monitor.on('failure.updated', (f) => d.emit('failure.updated', f));

  const scheduler = new Scheduler({ db, supervisor, logger: d.logger.child('scheduler'), now });
  const resources = new ResourceMonitor({
    db,
    supervisor,
    logger: d.logger.child('limits'),
    now,
    retentionMs: d.config().settings.retention.metrics,
  });
  resources.on('limit', (e) => d.logger.warn(`limit: ${e.reason}`, { process: e.process }));
  resources.on('usage', (samples) => d.emit('processes.usage', samples));

  const enrich = (info: ProcessInfo): ProcessInfo => {
    const usage = resources.latest(info.name);
    return { ...info, cpu: usage?.cpu ?? null, memory: usage?.memory ?? null, schedule: scheduler.info(info.name) };
  };
  const failureOrThrow = (id: number) => {
    const f = failures.get(id);
    if (!f) throw new SentinelError('not_found', `no failure #${id}`, 'id');
    return f;
  };
  const apply = (config: Config) => {
    scheduler.setSpecs(config.processes);
    resources.setSpecs(config.processes);
  };

  // Failing store writes (a full disk) do not stop supervision, but the status must say so.
  const withStore = (s: OverallStatus): OverallStatus =>
    supervisor.storeError !== null && s.status === 'green'
      ? { ...s, status: 'yellow', reason: `store degraded: ${supervisor.storeError}`, rule: 'store writes fail' }
      : s;

  return {
    health: {
      status: () => withStore(monitor.status()),
      runChecks: async () => withStore(await monitor.runAll()),
      restartService: (name) =>
        d.config().services.some((s) => s.name === name) ? monitor.restartService(name) : undefined,
      close: () => monitor.stop(),
    },
    failures: {
      list: (args) => failures.list(args),
      get: failureOrThrow,
      report: (id) => {
        const failure = failureOrThrow(id);
        const logs = queryLogs(db, { process: failure.service, before_id: undefined, limit: REPORT_LOG_LINES }).filter(
          (l) => l.at <= (failure.recovered_at ?? now()),
        );
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
    start() {
      apply(d.config());
      scheduler.start();
      resources.start();
      monitor.start();
    },
    setConfig(config) {
      apply(config);
      monitor.setConfig(config);
    },
    watchUsage: () => resources.watch(),
    enrich,
  };
}
