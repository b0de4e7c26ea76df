import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SentinelError } from '../../../src-main/shared/errors';
import { SettingsStore } from '../../../src-main/core/sentinel/settings-store';
import { resolveTarget } from '../../../src-main/core/sentinel/targets';
import { openDb } from '../../../src-main/core/store/db';
import { tempDir } from '../../helpers/tmp';

describe('SettingsStore', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() =>
    cleanups
      .splice(0)
      .reverse()
      .forEach((c) => c()),
  );
  const store = (defaults = { start_at_login: false, notifications: true, dry_run: false }) => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const db = openDb(join(t.dir, 'sentinel.db'));
    cleanups.push(() => db.close());
    return { db, settings: new SettingsStore(db, () => defaults) };
  };

  it('answers the defaults until a value is set, then the stored value', () => {
    const { settings } = store();
    expect(settings.get()).toEqual({ start_at_login: false, notifications: true, dry_run: false });
    expect(settings.set({ notifications: false })).toEqual({
      start_at_login: false,
      notifications: false,
      dry_run: false,
    });
    expect(settings.set({ dry_run: true })).toEqual({ start_at_login: false, notifications: false, dry_run: true });
  });

  it('ignores a stored value of the wrong shape instead of trusting it', () => {
    const { db, settings } = store();
    db.prepare("INSERT INTO settings (key, value_json) VALUES ('dry_run', '\"yes\"'), ('unrelated', '1')").run();
    expect(settings.get().dry_run).toBe(false);
  });
});

describe('resolveTarget', () => {
  const source = { names: () => ['a', 'b', 'c'], groupMembers: (g: string) => (g === 'web' ? ['a', 'b'] : []) };

  it.each([
    [{ name: 'b' }, ['b']],
    [{ group: 'web' }, ['a', 'b']],
    [{ all: true as const }, ['a', 'b', 'c']],
  ])('%j → %j', (target, names) => expect(resolveTarget(target, source)).toEqual(names));

  it.each([
    [{ name: 'zz' }, 'no process named "zz"', 'name'],
    [{ group: 'db' }, 'no process in group "db"', 'group'],
  ])('%j is not_found', (target, message, field) => {
    expect(() => resolveTarget(target, source)).toThrow(new SentinelError('not_found', message, field));
    try {
      resolveTarget(target, source);
    } catch (err) {
      expect(err).toMatchObject({ code: 'not_found', field });
    }
  });
});
