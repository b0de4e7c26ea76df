/** Check results in `health_checks`: written in one transaction per batch, pruned by age. */
import type { CheckResult } from '../../shared/contract';
import type { Db } from './db';

export class HealthRepo {
  private readonly insertStmt;
  private readonly pruneStmt;
  private readonly insertMany;

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare(
      'INSERT INTO health_checks (check_name, service, at, ok, latency_ms, error, data_json) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.pruneStmt = db.prepare('DELETE FROM health_checks WHERE at < ?');
    this.insertMany = db.transaction((results: CheckResult[]) => {
      for (const r of results) {
        this.insertStmt.run(r.name, r.service, r.at, r.ok ? 1 : 0, r.latency_ms, r.error, JSON.stringify(envelope(r)));
      }
    });
  }

  insert(results: CheckResult[]): void {
    if (results.length > 0) this.insertMany(results);
  }

  /** Deletes rows older than `before` (epoch ms); returns how many. */
  prune(before: number): number {
    return this.pruneStmt.run(before).changes;
  }

  /** Latest rows first, for one check or all. */
  recent({ check, limit = 100 }: { check?: string; limit?: number } = {}): CheckResult[] {
    const rows = (
      check === undefined
        ? this.db.prepare('SELECT * FROM health_checks ORDER BY at DESC, id DESC LIMIT ?').all(limit)
        : this.db
            .prepare('SELECT * FROM health_checks WHERE check_name = ? ORDER BY at DESC, id DESC LIMIT ?')
            .all(check, limit)
    ) as HealthRow[];
    return rows.map((r) => {
      const env = (r.data_json === null ? {} : JSON.parse(r.data_json)) as Partial<Envelope>;
      return {
        name: r.check_name,
        type: typeof env.type === 'string' ? env.type : 'unknown',
        service: r.service,
        ok: r.ok === 1,
        latency_ms: r.latency_ms,
        error: r.error,
        at: r.at,
        ...(env.upstream ? { upstream: true } : {}),
        ...(env.data !== undefined ? { data: env.data } : {}),
      };
    });
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM health_checks').get() as { n: number }).n;
  }
}

interface HealthRow {
  check_name: string;
  service: string | null;
  at: number;
  ok: number;
  latency_ms: number | null;
  error: string | null;
  data_json: string | null;
}

// The table has no type column (migration 2): type and upstream travel with the data.
interface Envelope {
  type: string;
  upstream?: boolean;
  data?: unknown;
}

function envelope(r: CheckResult): Envelope {
  return { type: r.type, ...(r.upstream ? { upstream: true } : {}), ...(r.data !== undefined ? { data: r.data } : {}) };
}
