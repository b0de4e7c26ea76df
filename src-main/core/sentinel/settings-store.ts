/**
 * The app settings a person toggles in the UI (start at login, notifications, dry run), kept in the `settings`
 * table so they survive restarts and win over the config file's defaults.
 */
import type { AppSettings } from '../../shared/contract';
import type { Db } from '../store/db';

export type StoredSettings = Pick<AppSettings, 'start_at_login' | 'notifications' | 'dry_run'>;
type Key = keyof StoredSettings;
const KEYS: readonly Key[] = ['start_at_login', 'notifications', 'dry_run'];

export class SettingsStore {
  constructor(
    private readonly db: Db,
    /** Values used until a person changes them (from the config's settings). */
    private readonly defaults: () => StoredSettings,
  ) {}

  get(): StoredSettings {
    const rows = this.db.prepare<[], { key: string; value_json: string }>('SELECT key, value_json FROM settings').all();
    const stored = new Map(rows.map((r) => [r.key, r.value_json]));
    const out = { ...this.defaults() };
    for (const key of KEYS) {
      const json = stored.get(key);
      if (json === undefined) continue;
      const value: unknown = JSON.parse(json);
      // A row written by another version with another shape is ignored rather than trusted.
      if (typeof value === 'boolean') out[key] = value;
    }
    return out;
  }

  set(patch: Partial<StoredSettings>): StoredSettings {
    const upsert = this.db.prepare<[string, string]>(
      'INSERT INTO settings (key, value_json) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json',
    );
    this.db.transaction(() => {
      for (const key of KEYS) if (patch[key] !== undefined) upsert.run(key, JSON.stringify(patch[key]));
    })();
    return this.get();
  }
}
