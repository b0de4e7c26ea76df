/**
 * The `metrics` table: resource samples of whole process groups. Raw samples (resolution 0) are kept briefly,
 * then folded into minute averages (resolution 60000) so the table stays bounded; everything older than the
 * retention is pruned.
 */
import type { Db } from './db';

export interface MetricRow {
  process: string;
  at: number;
  resolution: number;
  cpu: number;
  memory: number;
  pids: number;
}

export const MINUTE = 60_000;

export interface MetricsRepo {
  insert(rows: readonly MetricRow[]): void;
  /** Samples of a process since `since` (both resolutions, oldest first; minute averages where raw are gone). */
  since(process: string, since: number): MetricRow[];
  /** Replaces raw samples older than `before` by per-minute averages (only whole minutes before `before`). */
  downsample(before: number): number;
  prune(before: number): number;
}

export function metricsRepo(db: Db): MetricsRepo {
  const ins = db.prepare('INSERT INTO metrics (process, at, resolution, cpu, memory, pids) VALUES (?, ?, ?, ?, ?, ?)');
  const since = db.prepare<[string, number], MetricRow>(
    'SELECT process, at, resolution, cpu, memory, pids FROM metrics WHERE process = ? AND at >= ? ORDER BY at, resolution DESC',
  );
  // Buckets are floor(at / 60000); an average row is stamped at the start of its minute.
  const fold = db.prepare(
    `INSERT INTO metrics (process, at, resolution, cpu, memory, pids)
     SELECT process, (at / ${MINUTE}) * ${MINUTE}, ${MINUTE}, AVG(cpu), CAST(AVG(memory) AS INTEGER), MAX(pids)
     FROM metrics WHERE resolution = 0 AND at < ? GROUP BY process, at / ${MINUTE}`,
  );
  const dropRaw = db.prepare('DELETE FROM metrics WHERE resolution = 0 AND at < ?');
  const prune = db.prepare('DELETE FROM metrics WHERE at < ?');
  return {
    insert: (rows) => {
      db.transaction(() => {
        for (const r of rows) ins.run(r.process, r.at, r.resolution, r.cpu, Math.round(r.memory), r.pids);
      })();
    },
    since: (p, s) => since.all(p, s),
    downsample: (before) => {
      const cut = Math.floor(before / MINUTE) * MINUTE;
      return db.transaction(() => {
        const n = fold.run(cut).changes;
        dropRaw.run(cut);
        return n;
      })();
    },
    prune: (before) => prune.run(before).changes,
  };
}
