/**
 * Alert deliveries: one row per alert per channel, updated as the delivery proceeds (sending → sent | failed),
 * or parked (held for quiet hours, storm for a storm window) until a summary covers it (status summarized).
 * Callers store only redacted text: this repo never sees a channel URL.
 */
import type { Db } from './db';

export type DeliveryStatus = 'sending' | 'sent' | 'failed' | 'held' | 'storm' | 'summarized' | 'skipped';

export interface DeliveryRow {
  id: number;
  alert_id: string;
  kind: string;
  service: string | null;
  failure_id: number | null;
  channel: string;
  channel_type: string;
  status: DeliveryStatus;
  attempts: number;
  detail: string | null;
  created_at: number;
  updated_at: number;
  summary_id: string | null;
  payload_json: string;
}

export type NewDelivery = Pick<
  DeliveryRow,
  'alert_id' | 'kind' | 'service' | 'failure_id' | 'channel' | 'channel_type' | 'status' | 'payload_json'
> & { at: number; detail?: string | null };

export class AlertsRepo {
  constructor(private readonly db: Db) {}

  insert(d: NewDelivery): number {
    const info = this.db
      .prepare(
        `INSERT INTO alert_deliveries (alert_id, kind, service, failure_id, channel, channel_type, status, detail,
           created_at, updated_at, payload_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        d.alert_id,
        d.kind,
        d.service,
        d.failure_id,
        d.channel,
        d.channel_type,
        d.status,
        d.detail ?? null,
        d.at,
        d.at,
        d.payload_json,
      );
    return Number(info.lastInsertRowid);
  }

  update(id: number, u: { status: DeliveryStatus; attempts?: number; detail?: string | null; at: number }): void {
    this.db
      .prepare(
        'UPDATE alert_deliveries SET status = ?, attempts = COALESCE(?, attempts), detail = COALESCE(?, detail), updated_at = ? WHERE id = ?',
      )
      .run(u.status, u.attempts ?? null, u.detail ?? null, u.at, id);
  }

  /** Parked rows now covered by the summary `summaryId`. */
  summarize(ids: number[], summaryId: string, at: number): void {
    const stmt = this.db.prepare(
      "UPDATE alert_deliveries SET status = 'summarized', summary_id = ?, updated_at = ? WHERE id = ?",
    );
    this.db.transaction(() => {
      for (const id of ids) stmt.run(summaryId, at, id);
    })();
  }

  /** Rows still parked (held or storm), oldest first: what a restart must pick up again. */
  parked(): DeliveryRow[] {
    return this.db
      .prepare("SELECT * FROM alert_deliveries WHERE status IN ('held', 'storm') ORDER BY id")
      .all() as DeliveryRow[];
  }

  /** Rows left "sending" by a process that died mid-delivery: marked failed on start. */
  abandonSending(at: number): number {
    return this.db
      .prepare(
        "UPDATE alert_deliveries SET status = 'failed', detail = 'interrupted: sentinel stopped during delivery', updated_at = ? WHERE status = 'sending'",
      )
      .run(at).changes;
  }

  /** Was an alert of one of `kinds` recorded (in any state but skipped) for this failure? */
  alerted(failureId: number, kinds: string[]): boolean {
    const marks = kinds.map(() => '?').join(', ');
    const row = this.db
      .prepare(
        `SELECT 1 FROM alert_deliveries WHERE failure_id = ? AND kind IN (${marks}) AND status != 'skipped' LIMIT 1`,
      )
      .get(failureId, ...kinds);
    return row !== undefined;
  }

  forFailure(failureId: number): DeliveryRow[] {
    return this.db
      .prepare('SELECT * FROM alert_deliveries WHERE failure_id = ? ORDER BY id')
      .all(failureId) as DeliveryRow[];
  }

  recent(limit = 50): DeliveryRow[] {
    return this.db.prepare('SELECT * FROM alert_deliveries ORDER BY id DESC LIMIT ?').all(limit) as DeliveryRow[];
  }

  prune(before: number): number {
    return this.db
      .prepare("DELETE FROM alert_deliveries WHERE created_at < ? AND status NOT IN ('held', 'storm')")
      .run(before).changes;
  }
}
