/**
 * The parts of the API that belong to subsystems other than the supervisor (health, failures and reports,
 * statistics, schedules, resource metrics). Each is a small port; `idleSubsystems` answers for a subsystem that
 * is not running (yet) with the honest empty answer, so windows and CLI work end to end. Wiring a real one is
 * replacing its entry in `Sentinel.open`.
 */
import type { OverallStatus, RequestArgs, RequestResult } from '../../api/contract';
import { RequestError } from './request-error';

export interface HealthPort {
  status(): OverallStatus;
  /** "Force check now". */
  runChecks(): Promise<OverallStatus>;
  /** Restarts an external service; undefined when `name` is not one (the caller then tries processes). */
  restartService(name: string): Promise<RequestResult<'services.restart'>> | undefined;
  close(): Promise<void> | void;
}

export interface FailuresPort {
  list(args: RequestArgs<'failures.list'>): RequestResult<'failures.list'>;
  get(id: number): RequestResult<'failures.get'>;
  report(id: number): RequestResult<'failures.report'>;
  stats(args: RequestArgs<'stats.get'>): RequestResult<'stats.get'>;
}

export interface SchedulesPort {
  list(): RequestResult<'schedules.list'>;
  setEnabled(process: string, enabled: boolean): RequestResult<'schedules.set'>;
  close(): Promise<void> | void;
}

export interface MetricsPort {
  get(args: RequestArgs<'metrics.get'>): RequestResult<'metrics.get'>;
  close(): Promise<void> | void;
}

export interface Subsystems {
  health: HealthPort;
  failures: FailuresPort;
  schedules: SchedulesPort;
  metrics: MetricsPort;
}

/** With no checks there is nothing to be red about: green, and the reason says why. */
export function idleOverallStatus(at: number): OverallStatus {
  return { status: 'green', reason: 'no checks configured', rule: 'no checks', at, services: [], upstream: [] };
}

export function idleSubsystems(now: () => number): Subsystems {
  const noFailure = (id: number): never => {
    throw new RequestError('not_found', `no failure #${id}`, 'id');
  };
  return {
    health: {
      status: () => idleOverallStatus(now()),
      runChecks: async () => idleOverallStatus(now()),
      restartService: () => undefined,
      close: () => {},
    },
    failures: {
      list: () => ({ items: [], total: 0 }),
      get: noFailure,
      report: noFailure,
      stats: (args) => ({
        since: args.since ?? 0,
        total: 0,
        by_hour: new Array<number>(24).fill(0),
        by_weekday: new Array<number>(7).fill(0),
        mtbf_ms: null,
        mttr_ms: null,
        top_kinds: [],
        by_service: [],
      }),
    },
    schedules: {
      list: () => [],
      setEnabled: (process) => {
        throw new RequestError('not_found', `no schedule for "${process}"`, 'process');
      },
      close: () => {},
    },
    metrics: { get: () => ({ samples: [] }), close: () => {} },
  };
}
