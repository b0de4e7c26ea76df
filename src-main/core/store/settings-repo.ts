/** The `settings` table: one JSON value per key. */
import type { Db } from './db';

export interface SettingsRepo {
  /** Every stored key with its JSON text. */
  all(): Map<string, string>;
  /** Writes the given values (JSON text) in one transaction. */
  put(values: ReadonlyArray<[key: string, json: string]>): void;
}

export function settingsRepo(db: Db): SettingsRepo {
  const all = db.prepare<[], { key: string; value_json: string }>('SELECT key, value_json FROM settings');
  const upsert = db.prepare<[string, string]>(
    'INSERT INTO settings (key, value_json) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json',
  );
  const put = db.transaction((values: ReadonlyArray<[string, string]>) => {
    for (const [key, json] of values) upsert.run(key, json);
  });
  return {
    all: () => new Map(all.all().map((r) => [r.key, r.value_json])),
    put: (values) => put(values),
  };
}
