/**
 * Failures: one row per incident, written before Sentinel acts on it and updated as recovery proceeds.
 * JSON columns are parsed here so callers only see contract types.
 */
import type { CheckResult, FailureDetail, FailureSummary, TimelineEntry } from '../../shared/contract';
import { statementCache, type Db } from './db';

export interface NewFailure {
  service: string;
  kind: string;
  started_at: number;
  detected_by: string | null;
  reason: string;
  status?: unknown;
  checks: CheckResult[];
  upstream_down: boolean;
  timeline: TimelineEntry[];
}

export interface FailureUpdate {
  /** A crash loop becomes `fatal` when the restart policy gives up. */
  kind?: string;
  diagnostics?: Record<string, unknown>;
  restart_attempted?: boolean;
  restart_successful?: boolean | null;
  recovered_at?: number | null;
  time_to_recover_ms?: number | null;
  outcome?: string | null;
  /** Appended to the stored timeline. */
  append?: TimelineEntry[];
  /**
   * A rolling entry: earlier entries with the same `event` are dropped and this one is appended, so a count that
   * grows for hours (a crash loop's crashes) stays one entry instead of one per occurrence.
   */
  rolling?: TimelineEntry;
}

export interface FailureFilter {
  service?: string;
  since?: number;
  until?: number;
  limit?: number;
  offset?: number;
}

interface FailureRow {
  id: number;
  service: string;
  kind: string;
  started_at: number;
  detected_by: string | null;
  reason: string;
  status_json: string | null;
  checks_json: string | null;
  diagnostics_json: string | null;
  upstream_down: number;
  restart_attempted: number;
  restart_successful: number | null;
  recovered_at: number | null;
  time_to_recover_ms: number | null;
  outcome: string | null;
  timeline_json: string;
}

const SUMMARY_COLUMNS =
  'id, service, kind, started_at, detected_by, reason, upstream_down, restart_attempted, restart_successful, recovered_at, time_to_recover_ms, outcome';

export class FailuresRepo {
  private readonly sql: ReturnType<typeof statementCache>;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  insert(f: NewFailure): FailureSummary {
    const info = this.sql(
      `INSERT INTO failures (service, kind, started_at, detected_by, reason, status_json, checks_json, upstream_down, timeline_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      f.service,
      f.kind,
      f.started_at,
      f.detected_by,
      f.reason,
      f.status === undefined ? null : JSON.stringify(f.status),
      JSON.stringify(f.checks),
      f.upstream_down ? 1 : 0,
      JSON.stringify(f.timeline),
    );
    return this.summary(Number(info.lastInsertRowid))!;
  }

  /** Applies the given fields (read-modify-write of the timeline in one transaction); returns the new summary. */
  update(id: number, u: FailureUpdate): FailureSummary {
    this.db.transaction(() => {
      const sets: string[] = [];
      const values: unknown[] = [];
      const set = (column: string, value: unknown) => {
        sets.push(`${column} = ?`);
        values.push(value);
      };
      if (u.kind !== undefined) set('kind', u.kind);
      if (u.diagnostics !== undefined) set('diagnostics_json', JSON.stringify(u.diagnostics));
      if (u.restart_attempted !== undefined) set('restart_attempted', u.restart_attempted ? 1 : 0);
      if (u.restart_successful !== undefined)
        set('restart_successful', u.restart_successful === null ? null : u.restart_successful ? 1 : 0);
      if (u.recovered_at !== undefined) set('recovered_at', u.recovered_at);
      if (u.time_to_recover_ms !== undefined) set('time_to_recover_ms', u.time_to_recover_ms);
      if (u.outcome !== undefined) set('outcome', u.outcome);
      if ((u.append && u.append.length > 0) || u.rolling) {
        const row = this.sql('SELECT timeline_json FROM failures WHERE id = ?').get(id) as
          { timeline_json: string } | undefined;
        if (row) {
          const rolling = u.rolling;
          const kept = JSON.parse(row.timeline_json) as TimelineEntry[];
          const timeline = rolling ? kept.filter((t) => t.event !== rolling.event) : kept;
          set('timeline_json', JSON.stringify([...timeline, ...(u.append ?? []), ...(rolling ? [rolling] : [])]));
        }
      }
      if (sets.length > 0) this.sql(`UPDATE failures SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
    })();
    const s = this.summary(id);
    if (!s) throw new Error(`failure ${id} does not exist`);
    return s;
  }

  list(filter: FailureFilter = {}): { items: FailureSummary[]; total: number } {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.service !== undefined) {
      where.push('service = ?');
      params.push(filter.service);
    }
    if (filter.since !== undefined) {
      where.push('started_at >= ?');
      params.push(filter.since);
    }
    if (filter.until !== undefined) {
      where.push('started_at < ?');
      params.push(filter.until);
    }
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.sql(`SELECT COUNT(*) AS n FROM failures ${clause}`).get(...params) as { n: number }).n;
    const rows = this.sql(
      `SELECT ${SUMMARY_COLUMNS} FROM failures ${clause} ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?`,
    ).all(...params, filter.limit ?? 50, filter.offset ?? 0) as FailureRow[];
    return { items: rows.map(toSummary), total };
  }

  summary(id: number): FailureSummary | undefined {
    const row = this.sql(`SELECT ${SUMMARY_COLUMNS} FROM failures WHERE id = ?`).get(id) as FailureRow | undefined;
    return row && toSummary(row);
  }

  get(id: number): FailureDetail | undefined {
    const row = this.sql('SELECT * FROM failures WHERE id = ?').get(id) as FailureRow | undefined;
    if (!row) return undefined;
    return {
      ...toSummary(row),
      checks: parseJson<CheckResult[]>(row.checks_json, []),
      diagnostics: parseJson<Record<string, unknown>>(row.diagnostics_json, {}),
      timeline: parseJson<TimelineEntry[]>(row.timeline_json, []),
    };
  }

  /** Failures of a service still without a recovery, newest first. */
  open(service: string): FailureSummary[] {
    const rows = this.sql(
      `SELECT ${SUMMARY_COLUMNS} FROM failures WHERE service = ? AND recovered_at IS NULL ORDER BY started_at DESC`,
    ).all(service) as FailureRow[];
    return rows.map(toSummary);
  }

  prune(before: number): number {
    return this.sql('DELETE FROM failures WHERE started_at < ?').run(before).changes;
  }
}

function toSummary(r: FailureRow): FailureSummary {
  return {
    id: r.id,
    service: r.service,
    kind: r.kind,
    started_at: r.started_at,
    detected_by: r.detected_by,
    reason: r.reason,
    upstream_down: r.upstream_down === 1,
    restart_attempted: r.restart_attempted === 1,
    restart_successful: r.restart_successful === null ? null : r.restart_successful === 1,
    recovered_at: r.recovered_at,
    time_to_recover_ms: r.time_to_recover_ms,
    outcome: r.outcome,
  };
}

function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    // A row written by a broken version must not make the whole failure unreadable.
    return fallback;
  }
}
