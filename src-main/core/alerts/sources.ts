/**
 * Turns what core records into alerts, one per episode: a failure opened (several failure rows of one service are
 * one episode), escalated to fatal (the supervisor gave up), recovered (with the time it took); a limit exceeded
 * (at most once an hour per process and resource); the store degraded and recovered; the upstream down and back.
 * Fed by the failure events, supervisor transitions, limit events, check results and the store's state — the same
 * in the app and headless, since both run this core.
 */
import type { CheckResult, FailureSummary } from '../../shared/contract';
import { formatDuration } from '../util/duration';
import { Episodes } from './episodes';
import { newAlert, recoveredText, type AlertEvent } from './events';

export interface AlertSourceDeps {
  raise(alert: AlertEvent): void;
  now: () => number;
  /** Was an opening alert recorded for this failure (by an earlier run)? */
  alertedBefore(failureId: number): boolean;
}

export interface LimitNotice {
  process: string;
  resource: string;
  reason: string;
  at: number;
}

/** A limit that stays exceeded acts again every `for`; a person needs to hear about it once an hour at most. */
export const LIMIT_REPEAT_MS = 60 * 60_000;
const KIND_TEXT: Record<string, string> = {
  down: 'is down',
  hung: 'is not responding',
  unreachable: 'is unreachable',
  crash_loop: 'is crash-looping',
  fatal: 'gave up (fatal)',
};

export class AlertSources {
  private readonly episodes = new Episodes();
  private readonly recovered = new Set<number>();
  private readonly lastLimit = new Map<string, number>();
  private storeSince: number | null = null;
  private readonly upstream = new Map<string, CheckResult>();
  private upstreamSince: number | null = null;

  constructor(private readonly d: AlertSourceDeps) {}

  failureCreated(f: FailureSummary): void {
    // A failure while the upstream is down is the upstream's alert, not one per service.
    if (f.upstream_down) return;
    const key = `failure:${f.service}`;
    if (f.kind === 'fatal') {
      this.episodes.join(key, String(f.id), f.started_at);
      if (this.episodes.escalate(key, 'fatal', f.started_at)) this.raiseFatal(f.service, f.reason, f.id);
      return;
    }
    if (!this.episodes.join(key, String(f.id), f.started_at)) return;
    const what = KIND_TEXT[f.kind] ?? `failed (${f.kind})`;
    this.d.raise(
      newAlert({
        kind: 'failure',
        service: f.service,
        title: `${f.service} ${what}`,
        message: `${f.reason}${f.detected_by ? ` (detected by ${f.detected_by})` : ''} — failure #${f.id}`,
        at: f.started_at,
        failure_id: f.id,
      }),
    );
  }

  failureUpdated(f: FailureSummary): void {
    if (f.recovered_at === null || this.recovered.has(f.id)) return;
    if (this.recovered.size > 10_000) this.recovered.clear();
    this.recovered.add(f.id);
    const key = `failure:${f.service}`;
    const wasOpen = this.episodes.isOpen(key);
    const ep = this.episodes.leave(key, String(f.id));
    // After a restart the episode is not in memory; the delivery records say whether anyone was told of it.
    if (!ep && (wasOpen || f.upstream_down || !this.d.alertedBefore(f.id))) return;
    const ttr = ep ? f.recovered_at - ep.openedAt : f.time_to_recover_ms;
    this.d.raise(
      newAlert({
        kind: 'recovered',
        service: f.service,
        title: `${f.service} ${recoveredText(ttr)}`,
        message: `${f.outcome ?? 'recovered'} — failure #${f.id}`,
        at: f.recovered_at,
        failure_id: f.id,
        time_to_recover_ms: ttr,
      }),
    );
  }

  /** The supervisor gave up on a process (crash loop → fatal). */
  processFatal(name: string, reason: string | null, at: number): void {
    const key = `failure:${name}`;
    if (!this.episodes.escalate(key, 'fatal', at)) return;
    this.raiseFatal(name, reason ?? 'too many failed restarts', this.episodes.firstMember(key));
  }

  limit(e: LimitNotice): void {
    const key = `${e.process}:${e.resource}`;
    const last = this.lastLimit.get(key);
    if (last !== undefined && e.at - last < LIMIT_REPEAT_MS) return;
    this.lastLimit.set(key, e.at);
    this.d.raise(
      newAlert({
        kind: 'limit',
        service: e.process,
        title: `${e.process} over its ${e.resource} limit`,
        message: e.reason,
        at: e.at,
      }),
    );
  }

  /** The store's state, as the supervisor reports it (null: writes succeed). Call whenever it may have changed. */
  store(error: string | null): void {
    const at = this.d.now();
    if (error !== null && this.storeSince === null) {
      this.storeSince = at;
      this.d.raise(
        newAlert({
          kind: 'store_degraded',
          title: 'Sentinel store degraded',
          message: `${error} — supervision goes on, history is not being recorded`,
          at,
        }),
      );
    } else if (error === null && this.storeSince !== null) {
      const ttr = at - this.storeSince;
      this.storeSince = null;
      this.d.raise(
        newAlert({
          kind: 'store_recovered',
          title: `Sentinel store ${recoveredText(ttr)}`,
          message: 'the store accepts writes again',
          at,
          time_to_recover_ms: ttr,
        }),
      );
    }
  }

  /** Every upstream check result: down when any upstream check fails (as the assessor decides), back when all pass. */
  upstreamResult(r: CheckResult): void {
    if (!r.upstream) return;
    this.upstream.set(r.name, r);
    const failing = [...this.upstream.values()].filter((c) => !c.ok);
    if (failing.length > 0 && this.upstreamSince === null) {
      this.upstreamSince = r.at;
      this.d.raise(
        newAlert({
          kind: 'upstream_down',
          title: 'Upstream down',
          message: `${failing.map((c) => `${c.name}: ${c.error ?? 'failed'}`).join('; ')} — services are not restarted meanwhile`,
          at: r.at,
        }),
      );
    } else if (failing.length === 0 && this.upstreamSince !== null) {
      const ttr = r.at - this.upstreamSince;
      this.upstreamSince = null;
      this.d.raise(
        newAlert({
          kind: 'upstream_back',
          title: `Upstream back after ${formatDuration(ttr)}`,
          message: 'every upstream check passes again',
          at: r.at,
          time_to_recover_ms: ttr,
        }),
      );
    }
  }

  private raiseFatal(service: string, reason: string, failureId: number | null): void {
    this.d.raise(
      newAlert({
        kind: 'fatal',
        service,
        title: `${service} gave up: not restarting any more`,
        message: reason,
        at: this.d.now(),
        failure_id: failureId,
      }),
    );
  }
}
