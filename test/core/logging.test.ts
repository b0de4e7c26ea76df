import Database from 'better-sqlite3';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, LOG_FILE } from '../../src-main/core/logging';
import { openDb } from '../../src-main/core/store/db';
import { tempDir } from '../helpers/tmp';
import { waitFor } from '../helpers/wait';

describe('createLogger', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));
  const setup = () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    return t.dir;
  };

  it('writes scoped lines to logs/sentinel.log and warn/error rows to meta_logs', async () => {
    const dir = setup();
    const db = openDb(join(dir, 'sentinel.db'));
    cleanups.unshift(() => db.close());
    const log = createLogger({ dataDir: dir, db, console: false });
    log.info('started', { processes: 2 });
    log.child('supervisor').warn('crash loop', { name: 'web' });
    log.child('health').child('netbird').error('down');
    log.debug('not at info level');

    const file = await waitFor(
      () => readFileSync(join(dir, LOG_FILE), 'utf8').includes('down') && readFileSync(join(dir, LOG_FILE), 'utf8'),
      { what: 'the log file' },
    );
    expect(file).toMatch(/\[info\]\s+started \{ processes: 2 \}/);
    expect(file).toMatch(/\[warn\]\s+\(supervisor\) crash loop/);
    expect(file).not.toContain('not at info level');
    const rows = db.prepare('SELECT level, scope, message, data_json FROM meta_logs ORDER BY id').all();
    expect(rows).toEqual([
      { level: 'warn', scope: 'supervisor', message: 'crash loop', data_json: '{"name":"web"}' },
      { level: 'error', scope: 'health:netbird', message: 'down', data_json: null },
    ]);
  });

  it('keeps warnings written while the store is full and stores them once it takes writes again', () => {
    const dir = setup();
    const db = openDb(join(dir, 'sentinel.db'));
    cleanups.unshift(() => db.close());
    const log = createLogger({ dataDir: dir, db, console: false });
    // SQLite refuses to grow past max_page_count: every insert fails as on a full disk.
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    const long = `disk full: could not store a run ${'x'.repeat(20_000)}`; // larger than a page: needs new pages
    log.error(long);
    expect(db.prepare('SELECT count(*) FROM meta_logs').pluck().get()).toBe(0);
    db.pragma('max_page_count = 1073741823');
    log.warn('store recovered');
    expect(db.prepare('SELECT message FROM meta_logs ORDER BY id').pluck().all()).toEqual([long, 'store recovered']);
  });

  it('redacts secret env values and secret-named fields everywhere', async () => {
    const dir = setup();
    const db = openDb(join(dir, 'sentinel.db'));
    cleanups.unshift(() => db.close());
    process.env.SENTINEL_TEST_API_TOKEN = 'tok-1234567890';
    cleanups.push(() => delete process.env.SENTINEL_TEST_API_TOKEN);
    const log = createLogger({ dataDir: dir, db, console: false });
    log.warn('calling with tok-1234567890', { password: 'hunter22', url: 'https://u:pw@host/x' });
    const file = await waitFor(() => readFileSync(join(dir, LOG_FILE), 'utf8'), { what: 'the log file' });
    const row = db
      .prepare<[], { message: string; data_json: string }>('SELECT message, data_json FROM meta_logs')
      .get()!;
    for (const text of [file, row.message, row.data_json]) {
      expect(text).not.toContain('tok-1234567890');
      expect(text).not.toContain('hunter22');
      expect(text).not.toContain(':pw@');
    }
    expect(row.message).toBe('calling with [redacted]');
  });

  it('never throws when the database is gone', () => {
    const dir = setup();
    const db = new Database(join(dir, 'x.db'));
    db.exec(
      'CREATE TABLE meta_logs (id INTEGER PRIMARY KEY, at INTEGER, level TEXT, scope TEXT, message TEXT, data_json TEXT)',
    );
    const log = createLogger({ dataDir: dir, db, console: false });
    db.close();
    expect(() => log.error('after close')).not.toThrow();
  });

  it('rotates the file at maxFileBytes', async () => {
    const dir = setup();
    const log = createLogger({ dataDir: dir, console: false, maxFileBytes: 4096 });
    for (let i = 0; i < 200; i++) log.info(`line ${i} ${'x'.repeat(80)}`);
    await waitFor(() => readFileSync(join(dir, LOG_FILE), 'utf8').includes('line 199'), { what: 'the last line' });
    expect(statSync(join(dir, LOG_FILE)).size).toBeLessThanOrEqual(4096 + 200);
    expect(statSync(join(dir, 'logs', 'sentinel.old.log')).size).toBeGreaterThan(0);
  });
});
