/**
 * The `schedules` table: one row per scheduled process, so next/last run, counters and a one-shot's
 * "already ran" survive a restart of the supervisor (and make catch-up after downtime possible).
 */
import type { Db } from './db';

export interface ScheduleRow {
  process: string;
  spec_json: string;
  enabled: boolean;
  last_run: number | null;
  next_run: number | null;
  runs: number;
  skipped: number;
}

interface RawRow extends Omit<ScheduleRow, 'enabled'> {
  enabled: number;
}

export interface SchedulesRepo {
  get(process: string): ScheduleRow | undefined;
  all(): ScheduleRow[];
  /** Inserts or replaces the spec; keeps counters and times of an existing row. */
  upsertSpec(process: string, specJson: string, enabled: boolean): void;
  setEnabled(process: string, enabled: boolean): void;
  setNextRun(process: string, nextRun: number | null): void;
  recordRun(process: string, at: number): void;
  recordSkip(process: string): void;
  /** Removes rows of processes that are no longer scheduled. */
  retain(processes: readonly string[]): void;
}

export function schedulesRepo(db: Db): SchedulesRepo {
  const get = db.prepare<[string], RawRow>('SELECT * FROM schedules WHERE process = ?');
  const all = db.prepare<[], RawRow>('SELECT * FROM schedules ORDER BY process');
  const upsert = db.prepare(
    `INSERT INTO schedules (process, spec_json, enabled) VALUES (?, ?, ?)
     ON CONFLICT(process) DO UPDATE SET spec_json = excluded.spec_json, enabled = excluded.enabled`,
  );
  const setEnabled = db.prepare('UPDATE schedules SET enabled = ? WHERE process = ?');
  const setNext = db.prepare('UPDATE schedules SET next_run = ? WHERE process = ?');
  const run = db.prepare('UPDATE schedules SET last_run = ?, runs = runs + 1 WHERE process = ?');
  const skip = db.prepare('UPDATE schedules SET skipped = skipped + 1 WHERE process = ?');
  const del = db.prepare('DELETE FROM schedules WHERE process = ?');
  const toRow = (r: RawRow): ScheduleRow => ({ ...r, enabled: r.enabled === 1 });
  return {
    get: (p) => {
      const r = get.get(p);
      return r && toRow(r);
    },
    all: () => all.all().map(toRow),
    upsertSpec: (p, json, enabled) => void upsert.run(p, json, enabled ? 1 : 0),
    setEnabled: (p, enabled) => void setEnabled.run(enabled ? 1 : 0, p),
    setNextRun: (p, next) => void setNext.run(next, p),
    recordRun: (p, at) => void run.run(at, p),
    recordSkip: (p) => void skip.run(p),
    retain: (names) => {
      const keep = new Set(names);
      db.transaction(() => {
        for (const r of all.all()) if (!keep.has(r.process)) del.run(r.process);
      })();
    },
  };
}
