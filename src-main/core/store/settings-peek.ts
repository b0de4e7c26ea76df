/**
 * Reads one app setting from a data dir's store without opening it for writing (no migrations, no WAL writer):
 * for commands that must look at a data dir another process may be supervising. Undefined when there is no store,
 * no such setting, or it cannot be read.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';

export function peekSetting(dbFile: string, key: string): unknown {
  if (!existsSync(dbFile)) return undefined;
  let db: Database.Database | undefined;
  try {
    db = new Database(dbFile, { readonly: true, fileMustExist: true });
    const row = db.prepare('SELECT value_json FROM settings WHERE key = ?').get(key) as
      { value_json: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.value_json) as unknown);
  } catch {
    return undefined;
  } finally {
    db?.close();
  }
}
