/**
 * The app settings a person toggles in the UI (start at login, notifications, dry run), kept in the `settings`
 * table so they survive restarts and win over the config file's defaults.
 */
import type { AppSettings } from '../../shared/contract';
import type { Db } from '../store/db';
import { settingsRepo, type SettingsRepo } from '../store/settings-repo';

export type StoredSettings = Pick<AppSettings, 'start_at_login' | 'notifications' | 'dry_run'>;
type Key = keyof StoredSettings;
const KEYS: readonly Key[] = ['start_at_login', 'notifications', 'dry_run'];

export class SettingsStore {
  private readonly repo: SettingsRepo;

  constructor(
    db: Db,
    /** Values used until a person changes them (from the config's settings). */
    private readonly defaults: () => StoredSettings,
  ) {
    this.repo = settingsRepo(db);
  }

  get(): StoredSettings {
    const stored = this.repo.all();
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
    this.repo.put(KEYS.filter((key) => patch[key] !== undefined).map((key) => [key, JSON.stringify(patch[key])]));
    return this.get();
  }
}
