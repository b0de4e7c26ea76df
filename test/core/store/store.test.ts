import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { integrityCheck, migrate, openDb } from '../../../src-main/core/store/db';
import { MIGRATIONS } from '../../../src-main/core/store/migrations';
import { tempDir } from '../../helpers/tmp';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function freshFile() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return join(t.dir, 'data', 'sentinel.db');
}

describe('store', () => {
  it('opens a file in WAL mode with every migration applied', () => {
    const db = openDb(freshFile());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    for (const t of [
      'processes',
      'runs',
      'events',
      'logs',
      'meta_logs',
      'reconciliations',
      'health_checks',
      'failures',
      'schedules',
      'metrics',
      'settings',
    ]) {
      expect(tables).toContain(t);
    }
    expect(integrityCheck(db)).toBe('ok');
    db.close();
  });

  it('applies only the migrations not yet applied, and keeps data across reopen', () => {
    const file = freshFile();
    const first = openDb(file, MIGRATIONS.slice(0, 1));
    first.prepare("INSERT INTO meta_logs (at, level, scope, message) VALUES (1, 'warn', 'test', 'kept')").run();
    first.close();
    const db = openDb(file);
    expect(db.prepare('SELECT message FROM meta_logs').pluck().get()).toBe('kept');
    expect(migrate(db)).toEqual([]);
    db.close();
  });

  it('rolls back a failing migration as a whole', () => {
    const file = freshFile();
    const broken = [
      ...MIGRATIONS,
      { version: 99, name: 'broken', sql: 'CREATE TABLE half (x); SELECT * FROM missing_table;' },
    ];
    expect(() => openDb(file, broken)).toThrow(/missing_table/);
    const db = openDb(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half'").pluck().get()).toBe(0);
    db.close();
  });
});
