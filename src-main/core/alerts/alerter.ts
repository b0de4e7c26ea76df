/**
 * The alert engine: an alert raised by a source is routed to its channels; per channel it is held back (quiet
 * hours), parked (storm) or delivered with retries. Every step is a row in `alert_deliveries`, and an alert about
 * a failure also lands in that failure's timeline (the report and the API's failure detail show it). Parked
 * alerts go out as one summary when the quiet hours or the storm window end. A failing store never stops an alert:
 * the record is lost, the message still goes out.
 */
import type { TimelineEntry } from '../../shared/contract';
import type { AlertChannelSpec, AlertsConfig } from '../config/alerts-schema';
import type { AlertsRepo, DeliveryStatus } from '../store/alerts-repo';
import type { Logger } from '../util/logger';
import { createSender, type SenderOptions } from './channels';
import { deliver, type ChannelSender, type DeliveryOutcome } from './delivery';
import { channelRedactor, describeChannel } from './describe-channel';
import { newAlert, summaryOf, type AlertEvent } from './events';
import { holdsBack, inQuietHours } from './quiet-hours';
import { routeAlert } from './routing';
import { admit, windowEnd, type StormState } from './storm';

export interface AlerterOptions {
  config: AlertsConfig;
  repo: AlertsRepo;
  logger: Logger;
  now?: () => number;
  /** Appends to a failure's timeline (failures-repo); errors are the alerter's to log. */
  appendTimeline: (failureId: number, entries: TimelineEntry[]) => void;
  /** Shows desktop alerts (the app); see channels/index.ts. */
  desktop?: ChannelSender;
  /** How often held alerts are looked at while quiet hours may have ended. */
  quietPollMs?: number;
}

export interface ChannelResult {
  channel: string;
  /** The channel as logs and the API may show it: type and host, no secret. */
  target: string;
  ok: boolean;
  attempts: number;
  detail: string;
}

interface Parked {
  rowId: number | null;
  alert: AlertEvent;
}

interface ChannelState {
  storm?: StormState;
  stormHeld: Parked[];
  stormTimer?: NodeJS.Timeout;
  quietHeld: Parked[];
}

interface Channel {
  name: string;
  spec: AlertChannelSpec;
  sender: ChannelSender;
  redact: (text: string) => string;
  target: string;
}

const QUIET_POLL_MS = 30_000;

export class Alerter {
  private config: AlertsConfig;
  private channels = new Map<string, Channel>();
  private readonly state = new Map<string, ChannelState>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly stopper = new AbortController();
  private quietTimer?: NodeJS.Timeout;
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly opts: AlerterOptions) {
    this.now = opts.now ?? Date.now;
    this.config = opts.config;
    this.buildChannels();
  }

  setConfig(config: AlertsConfig): void {
    this.config = config;
    this.buildChannels();
  }

  /** Picks up what a previous run left parked, and marks deliveries it left half-done as failed. */
  restore(): void {
    const at = this.now();
    this.guard('restore alert deliveries', () => {
      this.opts.repo.abandonSending(at);
      for (const row of this.opts.repo.parked()) {
        if (!this.channels.has(row.channel)) {
          this.opts.repo.update(row.id, { status: 'skipped', detail: 'channel no longer configured', at });
          continue;
        }
        const alert = JSON.parse(row.payload_json) as AlertEvent;
        const s = this.stateOf(row.channel);
        (row.status === 'held' ? s.quietHeld : s.stormHeld).push({ rowId: row.id, alert });
      }
    });
    for (const [name, s] of this.state) {
      if (s.stormHeld.length > 0) this.scheduleStormFlush(name, at);
    }
    this.tick();
  }

  /** Routes and delivers an alert; resolves once every channel has settled (sent, failed or parked). */
  async raise(alert: AlertEvent): Promise<ChannelResult[]> {
    if (this.closed) return [];
    const names = routeAlert(alert, this.config).filter((n) => this.channels.has(n));
    if (names.length === 0) {
      this.opts.logger.debug('alert routed to no channel', { kind: alert.kind, service: alert.service });
      return [];
    }
    return Promise.all(names.map((n) => this.toChannel(this.channels.get(n)!, alert)));
  }

  /** `sentinel alert test`: a test alert to one channel or all, past quiet hours and storm control. */
  async test(channel?: string): Promise<ChannelResult[]> {
    const names = channel === undefined ? [...this.channels.keys()] : [channel];
    const alert = newAlert({
      kind: 'test',
      title: 'Sentinel test alert',
      message: 'If you can read this, alerts from Sentinel reach you here.',
      at: this.now(),
    });
    return Promise.all(names.map((n) => this.send(this.channels.get(n)!, alert, null)));
  }

  channelNames(): string[] {
    return [...this.channels.keys()];
  }

  /** Releases quiet-hours holds whose channel is no longer quiet. Runs on a timer while anything is held. */
  tick(): void {
    const at = this.now();
    let stillHeld = false;
    for (const [name, s] of this.state) {
      if (s.quietHeld.length === 0) continue;
      const channel = this.channels.get(name);
      const q = this.config.quiet_hours;
      const quiet = channel && q && (!q.channels || q.channels.includes(name)) && inQuietHours(at, q);
      if (quiet) {
        stillHeld = true;
        continue;
      }
      const held = s.quietHeld.splice(0);
      if (!channel) continue;
      this.track(this.release(channel, held, 'held during quiet hours'));
    }
    if (stillHeld && !this.quietTimer && !this.closed) {
      this.quietTimer = setTimeout(() => {
        this.quietTimer = undefined;
        this.tick();
      }, this.opts.quietPollMs ?? QUIET_POLL_MS);
      this.quietTimer.unref();
    }
  }

  /** Settles when every delivery under way has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Aborts deliveries under way (recorded as failed) and stops the timers; parked alerts stay for the next run. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopper.abort();
    clearTimeout(this.quietTimer);
    for (const s of this.state.values()) clearTimeout(s.stormTimer);
    await this.idle();
  }

  private buildChannels(): void {
    const opts: SenderOptions = {
      timeoutMs: this.config.delivery.timeout,
      ...(this.opts.desktop ? { desktop: this.opts.desktop } : {}),
    };
    this.channels = new Map(
      Object.entries(this.config.channels)
        .filter(([, spec]) => spec.enabled)
        .map(([name, spec]) => [
          name,
          {
            name,
            spec,
            sender: createSender(spec, opts),
            redact: channelRedactor(spec),
            target: describeChannel(name, spec),
          },
        ]),
    );
  }

  private stateOf(name: string): ChannelState {
    let s = this.state.get(name);
    if (!s) this.state.set(name, (s = { stormHeld: [], quietHeld: [] }));
    return s;
  }

  private toChannel(channel: Channel, alert: AlertEvent): Promise<ChannelResult> {
    const at = this.now();
    const s = this.stateOf(channel.name);
    if (holdsBack(alert, channel.name, at, this.config.quiet_hours)) {
      const rowId = this.record(channel, alert, 'held', 'quiet hours');
      s.quietHeld.push({ rowId, alert });
      this.timeline(alert, channel, 'alert held', 'quiet hours: sent when they end');
      this.tick();
      return Promise.resolve(this.result(channel, false, 0, 'held: quiet hours'));
    }
    return this.admitAndSend(channel, alert, null);
  }

  /** Storm control, then delivery. `rowId`: the row of an alert that was parked before. */
  private admitAndSend(channel: Channel, alert: AlertEvent, rowId: number | null): Promise<ChannelResult> {
    const at = this.now();
    const s = this.stateOf(channel.name);
    const { state, verdict } = admit(s.storm, at, this.config.storm);
    s.storm = state;
    if (verdict === 'hold') {
      const id = rowId ?? this.record(channel, alert, 'storm', 'storm: in the summary at the end of the window');
      if (rowId !== null) this.update(channel, rowId, { status: 'storm', at });
      s.stormHeld.push({ rowId: id, alert });
      this.timeline(alert, channel, 'alert held', 'storm: in one summary at the end of the window');
      this.scheduleStormFlush(channel.name, at);
      return Promise.resolve(this.result(channel, false, 0, 'held: storm'));
    }
    return this.send(channel, alert, rowId);
  }

  private scheduleStormFlush(name: string, at: number): void {
    const s = this.stateOf(name);
    if (s.stormTimer || this.closed) return;
    const due = s.storm ? windowEnd(s.storm, this.config.storm.window) : at;
    s.stormTimer = setTimeout(
      () => {
        s.stormTimer = undefined;
        const held = s.stormHeld.splice(0);
        const channel = this.channels.get(name);
        if (!channel || held.length === 0) return;
        this.track(this.release(channel, held, 'in a storm'));
      },
      Math.max(0, due - at),
    );
  }

  /** Sends parked alerts: one as itself, several as one summary (the parked rows then point at it). */
  private async release(channel: Channel, held: Parked[], why: string): Promise<ChannelResult> {
    if (held.length === 1) return this.admitAndSend(channel, held[0]!.alert, held[0]!.rowId);
    const summary = summaryOf(
      held.map((h) => h.alert),
      why,
      this.now(),
    );
    this.guard('record summary', () =>
      this.opts.repo.summarize(
        held.map((h) => h.rowId).filter((id): id is number => id !== null),
        summary.id,
        this.now(),
      ),
    );
    const result = await this.admitAndSend(channel, summary, null);
    // Each failure whose alert the summary carried gets the outcome in its timeline.
    const failures = new Set(held.map((h) => h.alert.failure_id).filter((id): id is number => id !== null));
    for (const id of failures) {
      this.appendTimeline(id, {
        at: this.now(),
        event: result.ok ? 'alert sent' : 'alert failed',
        detail: `${channel.target}: in a summary of ${held.length} alerts ${why} — ${result.detail}`,
      });
    }
    return result;
  }

  private send(channel: Channel, alert: AlertEvent, rowId: number | null): Promise<ChannelResult> {
    const id = rowId ?? this.record(channel, alert, 'sending', null);
    if (rowId !== null) this.update(channel, rowId, { status: 'sending', at: this.now() });
    const p = (async (): Promise<ChannelResult> => {
      const outcome: DeliveryOutcome = await deliver(
        channel.sender,
        alert,
        this.config.delivery,
        this.stopper.signal,
        (attempt, r) => {
          if (!r.ok)
            this.opts.logger.debug('alert attempt failed', {
              channel: channel.name,
              attempt,
              error: channel.redact(r.error),
            });
        },
      );
      const detail = channel.redact(outcome.detail);
      const at = this.now();
      this.update(channel, id, { status: outcome.ok ? 'sent' : 'failed', attempts: outcome.attempts, detail, at });
      const tries = `${outcome.attempts} attempt${outcome.attempts === 1 ? '' : 's'}`;
      this.timeline(alert, channel, outcome.ok ? 'alert sent' : 'alert failed', `${detail}, ${tries}`);
      const data = { channel: channel.target, kind: alert.kind, service: alert.service, attempts: outcome.attempts };
      if (outcome.ok) this.opts.logger.info(`alert sent: ${alert.title}`, data);
      else this.opts.logger.warn(`alert not delivered: ${alert.title}`, { ...data, error: detail });
      return this.result(channel, outcome.ok, outcome.attempts, detail);
    })();
    this.track(p);
    return p;
  }

  private result(channel: Channel, ok: boolean, attempts: number, detail: string): ChannelResult {
    return { channel: channel.name, target: channel.target, ok, attempts, detail };
  }

  private record(channel: Channel, alert: AlertEvent, status: DeliveryStatus, detail: string | null): number | null {
    return this.guard('record an alert delivery', () =>
      this.opts.repo.insert({
        alert_id: alert.id,
        kind: alert.kind,
        service: alert.service,
        failure_id: alert.failure_id,
        channel: channel.name,
        channel_type: channel.spec.type,
        status,
        detail,
        at: this.now(),
        payload_json: JSON.stringify(alert),
      }),
    );
  }

  private update(
    _channel: Channel,
    rowId: number | null,
    u: { status: DeliveryStatus; attempts?: number; detail?: string | null; at: number },
  ): void {
    if (rowId === null) return;
    this.guard('record an alert delivery', () => this.opts.repo.update(rowId, u));
  }

  private timeline(alert: AlertEvent, channel: Channel, event: string, detail: string): void {
    if (alert.failure_id === null) return;
    this.appendTimeline(alert.failure_id, {
      at: this.now(),
      event,
      detail: `${channel.target}: ${alert.kind} — ${detail}`,
    });
  }

  private appendTimeline(failureId: number, entry: TimelineEntry): void {
    this.guard('add the alert to the failure timeline', () => this.opts.appendTimeline(failureId, [entry]));
  }

  private track(p: Promise<unknown>): void {
    const settled = p.catch((err: unknown) =>
      this.opts.logger.error('alert delivery failed unexpectedly', { error: (err as Error)?.message ?? String(err) }),
    );
    this.inFlight.add(settled);
    void settled.finally(() => this.inFlight.delete(settled));
  }

  /** Store trouble (a full disk) loses the record, never the alert. */
  private guard<T>(what: string, fn: () => T): T | null {
    try {
      return fn();
    } catch (err) {
      this.opts.logger.warn(`could not ${what}`, { error: (err as Error).message });
      return null;
    }
  }
}
