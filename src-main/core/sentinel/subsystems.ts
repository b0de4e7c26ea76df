/**
 * The parts of the API that belong to subsystems other than the supervisor (health, failures and reports,
 * statistics, schedules, resource metrics): one small port each, implemented in live-subsystems.ts.
 */
import type { OverallStatus, RequestArgs, RequestResult } from '../../shared/contract';

export interface HealthPort {
  status(): OverallStatus;
  /** "Force check now". */
  runChecks(): Promise<OverallStatus>;
  /** The machine woke from sleep (the app's powerMonitor, or the monitor's own clock-gap check): failing checks get
   *  `settings.wake_grace` before they count. */
  notifyWake(): void;
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
  /** Samples processes whose CPU/memory figures are older than `maxAgeMs` (before a status answer). */
  refresh?(maxAgeMs: number): Promise<void>;
  close(): Promise<void> | void;
}

export interface AlertsPort {
  test(channel?: string): Promise<RequestResult<'alerts.test'>['results']>;
}

export interface Subsystems {
  health: HealthPort;
  failures: FailuresPort;
  schedules: SchedulesPort;
  metrics: MetricsPort;
  alerts: AlertsPort;
}
