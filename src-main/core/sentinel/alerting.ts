/**
 * Alerts as the daemon runs them: the engine (core/alerts/alerter.ts) fed by the sources (failure events, supervisor
 * transitions, limit events, upstream check results, the store's state), recording into alert_deliveries and the
 * failures' timelines. Sentinel owns one; the app and `sentinel run` share it because both run this core.
 */
import type { AlertNotice, CheckResult, FailureSummary } from '../../shared/contract';
import { Alerter, type ChannelResult } from '../alerts/alerter';
import type { ChannelSender } from '../alerts/delivery';
import { AlertSources, type LimitNotice } from '../alerts/sources';
import type { Config } from '../config/schema';
import { AlertsRepo } from '../store/alerts-repo';
import type { Db } from '../store/db';
import { FailuresRepo } from '../store/failures-repo';
import type { Logger } from '../util/logger';
import { SentinelError } from '../../shared/errors';

export interface AlertingDeps {
  db: Db;
  config: () => Config;
  logger: Logger;
  now: () => number;
  /** The store's state as the supervisor sees it (null: healthy). */
  storeError: () => string | null;
  /** Hands a desktop alert to whoever shows notifications; false when nobody listens. */
  showDesktop: (notice: AlertNotice) => boolean;
}

/** How often the store's state is looked at (it has no event of its own). */
const STORE_POLL_MS = 5_000;
const PRUNE_EVERY_MS = 10 * 60_000;

export class Alerting {
  readonly alerter: Alerter;
  private readonly sources: AlertSources;
  private readonly repo: AlertsRepo;
  private timer?: NodeJS.Timeout;
  private lastPrune = 0;

  constructor(private readonly d: AlertingDeps) {
    this.repo = new AlertsRepo(d.db);
    const failures = new FailuresRepo(d.db);
    const desktop: ChannelSender = {
      send: async (alert) =>
        d.showDesktop({
          id: alert.id,
          kind: alert.kind,
          severity: alert.severity,
          service: alert.service,
          title: alert.title,
          message: alert.message,
          at: alert.at,
          failure_id: alert.failure_id,
        })
          ? { ok: true, detail: 'handed to the app' }
          : { ok: false, retry: false, error: 'no app attached to show it' },
    };
    this.alerter = new Alerter({
      config: d.config().alerts,
      repo: this.repo,
      logger: d.logger.child('alerts'),
      now: d.now,
      appendTimeline: (id, entries) => void failures.update(id, { append: entries }),
      desktop,
    });
    this.sources = new AlertSources({
      raise: (alert) => void this.alerter.raise(alert),
      now: d.now,
      alertedBefore: (id) => {
        try {
          return this.repo.alerted(id, ['failure', 'fatal']);
        } catch {
          return false;
        }
      },
    });
  }

  start(): void {
    this.alerter.restore();
    this.timer = setInterval(() => this.poll(), STORE_POLL_MS);
    this.timer.unref();
  }

  setConfig(config: Config): void {
    this.alerter.setConfig(config.alerts);
  }

  failureCreated(f: FailureSummary): void {
    this.sources.failureCreated(f);
  }

  failureUpdated(f: FailureSummary): void {
    this.sources.failureUpdated(f);
  }

  processTransition(t: { name: string; to: string; reason: string | null; at: number }): void {
    if (t.to === 'fatal') this.sources.processFatal(t.name, t.reason, t.at);
  }

  limit(e: LimitNotice): void {
    this.sources.limit(e);
  }

  checkResult(r: CheckResult): void {
    this.sources.upstreamResult(r);
  }

  /** `sentinel alert test [CHANNEL]`. */
  async test(channel?: string): Promise<ChannelResult[]> {
    const names = this.alerter.channelNames();
    if (channel !== undefined && !names.includes(channel)) {
      const all = Object.keys(this.d.config().alerts.channels);
      throw new SentinelError(
        'not_found',
        all.includes(channel)
          ? `alert channel "${channel}" is disabled`
          : `no alert channel named "${channel}" (channels: ${all.join(', ') || 'none'})`,
        'channel',
      );
    }
    if (names.length === 0) throw new SentinelError('not_found', 'no alert channel is configured (alerts.channels)');
    return this.alerter.test(channel);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.alerter.close();
  }

  private poll(): void {
    this.sources.store(this.d.storeError());
    const at = this.d.now();
    if (at - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = at;
    try {
      this.repo.prune(at - this.d.config().settings.retention.failures);
    } catch (err) {
      this.d.logger.warn('could not prune alert deliveries', { error: (err as Error).message });
    }
  }
}
