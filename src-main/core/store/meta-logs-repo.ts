/** The `meta_logs` table: Sentinel's own warnings and errors. */
import type { Db } from './db';

export type MetaLogRow = [at: number, level: string, scope: string, message: string, data_json: string | null];

/** Returns a writer of rows, all in one transaction (it throws when the store refuses the write). */
export function metaLogsWriter(db: Db): (rows: readonly MetaLogRow[]) => void {
  const insert = db.prepare<MetaLogRow>(
    'INSERT INTO meta_logs (at, level, scope, message, data_json) VALUES (?, ?, ?, ?, ?)',
  );
  return db.transaction((rows: readonly MetaLogRow[]) => {
    for (const row of rows) insert.run(...row);
  });
}
