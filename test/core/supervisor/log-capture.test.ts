import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { openDb, type Db } from '../../../src-main/core/store/db';
import { logTotals, queryLogs, trimLogs } from '../../../src-main/core/store/logs-repo';
import { LogWriter } from '../../../src-main/core/supervisor/log-capture';
import { LineSplitter, MAX_LINE } from '../../../src-main/core/util/line-splitter';
import { SentinelError } from '../../../src-main/shared/errors';
import { tempDir } from '../../helpers/tmp';

const enc = (s: string) => new TextEncoder().encode(s);

describe('LineSplitter', () => {
  it.each([
    ['whole lines', ['a\nb\n'], ['a', 'b'], []],
    ['a partial line kept across chunks', ['hel', 'lo\nwor', 'ld\n'], ['hello', 'world'], []],
    ['CRLF drops the \\r', ['a\r\nb\r\n'], ['a', 'b'], []],
    ['a CR split from its LF', ['a\r', '\nb\n'], ['a', 'b'], []],
    ['empty lines are lines', ['\n\nx\n'], ['', '', 'x'], []],
    ['the last line without newline comes at end', ['a\nrest'], ['a'], ['rest']],
  ] as const)('%s', (_what, chunks, lines, tail) => {
    const s = new LineSplitter();
    expect(chunks.flatMap((c) => s.push(enc(c)))).toEqual(lines);
    expect(s.end()).toEqual(tail);
    // pushJoined gives the same lines, joined as a log row stores them.
    const j = new LineSplitter();
    const rows = chunks.map((c) => j.pushJoined(enc(c))).filter((r) => r.count > 0);
    expect(rows.flatMap((r) => r.text.split('\n'))).toEqual(lines);
    expect(rows.reduce((n, r) => n + r.count, 0)).toBe(lines.length);
    expect(j.end()).toEqual(tail);
  });

  it('pushJoined cuts long lines as push does, whichever chunk they come in', () => {
    const text = `short\n${'x'.repeat(MAX_LINE + 5)}\nok\n${'y'.repeat(MAX_LINE * 2)}tail\r\nend`;
    for (const size of [7, 1000, MAX_LINE + 3, text.length]) {
      const a = new LineSplitter();
      const b = new LineSplitter();
      const pushed: string[] = [];
      const joined: string[] = [];
      for (let i = 0; i < text.length; i += size) {
        pushed.push(...a.push(enc(text.slice(i, i + size))));
        const r = b.pushJoined(enc(text.slice(i, i + size)));
        if (r.count > 0) joined.push(...r.text.split('\n'));
        expect(joined).toEqual(pushed);
      }
      expect(b.end()).toEqual(a.end());
    }
  });

  it('keeps a multi-byte character split across chunks intact', () => {
    const s = new LineSplitter();
    const bytes = enc('héllo\n');
    expect([...s.push(bytes.slice(0, 2)), ...s.push(bytes.slice(2))]).toEqual(['héllo']);
  });

  it('cuts a very long line into MAX_LINE pieces, even before its newline arrives', () => {
    const s = new LineSplitter();
    const first = s.push(enc('x'.repeat(MAX_LINE * 2 + 10)));
    expect(first.map((l) => l.length)).toEqual([MAX_LINE, MAX_LINE]);
    expect(s.push(enc('y\n'))).toEqual(['x'.repeat(10) + 'y']);
  });
});

describe('logs in the store', () => {
  let db: Db;
  let cleanup: () => void;
  afterEach(() => {
    db?.close();
    cleanup?.();
  });
  function store(): Db {
    const t = tempDir();
    cleanup = t.cleanup;
    db = openDb(join(t.dir, 'sentinel.db'));
    return db;
  }
  function fill(process: string, lines: string[], stream: 'out' | 'err' = 'out', at = 1_000): void {
    const ins = db.prepare('INSERT INTO logs (process, run_id, stream, at, line) VALUES (?, NULL, ?, ?, ?)');
    db.transaction(() => lines.forEach((l, i) => ins.run(process, stream, at + i, l)))();
  }

  it('queryLogs narrows by process, stream and time, newest `limit` in chronological order', () => {
    store();
    fill('a', ['a0', 'a1', 'a2', 'a3']);
    fill('b', ['b0', 'b1'], 'err');
    expect(queryLogs(db, { process: 'a', limit: 2 }).map((l) => l.line)).toEqual(['a2', 'a3']);
    expect(queryLogs(db, { stream: 'err', limit: 10 }).map((l) => l.line)).toEqual(['b0', 'b1']);
    expect(queryLogs(db, { process: 'a', since: 1_002, limit: 10 }).map((l) => l.line)).toEqual(['a2', 'a3']);
  });

  it('pages forward with after_id and backward with before_id', () => {
    store();
    fill('a', ['l0', 'l1', 'l2', 'l3', 'l4']);
    const all = queryLogs(db, { process: 'a', limit: 10 });
    expect(queryLogs(db, { process: 'a', after_id: all[1]!.id, limit: 2 }).map((l) => l.line)).toEqual(['l2', 'l3']);
    expect(queryLogs(db, { process: 'a', before_id: all[3]!.id, limit: 2 }).map((l) => l.line)).toEqual(['l1', 'l2']);
  });

  it('a sparse grep still fills `limit` by scanning past the first chunk', () => {
    store();
    // 3 matches spread over 20,000 lines: the chunked scan (5,000 rows) must go through several chunks.
    fill(
      'a',
      Array.from({ length: 20_000 }, (_, i) => (i % 7_000 === 0 ? `ERROR ${i}` : `ok ${i}`)),
    );
    expect(queryLogs(db, { process: 'a', grep: '^ERROR', limit: 3 }).map((l) => l.line)).toEqual([
      'ERROR 0',
      'ERROR 7000',
      'ERROR 14000',
    ]);
    expect(queryLogs(db, { process: 'a', grep: '^ERROR', limit: 2 }).map((l) => l.line)).toEqual([
      'ERROR 7000',
      'ERROR 14000',
    ]);
  });

  it('rejects an invalid grep naming the field', () => {
    store();
    expect(() => queryLogs(db, { grep: '(', limit: 1 })).toThrow(SentinelError);
    expect(() => queryLogs(db, { grep: '(', limit: 1 })).toThrow(/^grep: expected a regular expression/);
  });

  it('trimLogs keeps the newest max_lines of one process and leaves others alone', () => {
    store();
    fill(
      'a',
      Array.from({ length: 100 }, (_, i) => `a${i}`),
    );
    fill('b', ['b0', 'b1']);
    expect(trimLogs(db, 'a', { max_lines: 10, max_bytes: 1024 ** 2 })).toBe(90);
    expect(queryLogs(db, { process: 'a', limit: 100 }).map((l) => l.line)).toEqual(
      Array.from({ length: 10 }, (_, i) => `a${90 + i}`),
    );
    expect(queryLogs(db, { process: 'b', limit: 100 })).toHaveLength(2);
  });

  it('trimLogs honours max_bytes approximately', () => {
    store();
    fill(
      'a',
      Array.from({ length: 1_000 }, () => 'x'.repeat(60)),
    ); // ~100 bytes a row with overhead
    trimLogs(db, 'a', { max_lines: 1_000_000, max_bytes: 10_000 });
    const kept = queryLogs(db, { process: 'a', limit: 10_000 }).length;
    expect(kept).toBeGreaterThan(50);
    expect(kept).toBeLessThanOrEqual(200);
  });

  it('LogWriter stores a row per read, reports each flushed batch line by line with ids, bounded by the high-water mark', async () => {
    store();
    const batches: number[] = [];
    const writer = new LogWriter(db, { onFlush: (lines) => batches.push(lines.length), highWater: 100, flushMs: 10 });
    const stream = new PassThrough();
    const done = writer.capture(stream, 'a', null, 'out');
    stream.write(Array.from({ length: 250 }, (_, i) => `line ${i}`).join('\n') + '\n');
    // 250 lines in one read: one row, written at once because it passes the high-water mark.
    await new Promise<void>((r) => setImmediate(r));
    expect(batches).toEqual([250]);
    expect(writer.queued).toBe(0);
    stream.write('two\nlines\n');
    await new Promise<void>((r) => setImmediate(r));
    expect(writer.queued).toBe(2);
    stream.end('last without newline');
    await done;
    writer.close();
    const rows = queryLogs(db, { process: 'a', limit: 1_000 });
    expect(rows).toHaveLength(253);
    expect(rows[0]!.line).toBe('line 0');
    expect(rows.slice(-3).map((l) => l.line)).toEqual(['two', 'lines', 'last without newline']);
    expect(new Set(rows.map((r) => r.id)).size).toBe(253);
    expect(rows.map((r) => r.id)).toEqual([...rows.map((r) => r.id)].sort((x, y) => x - y));
    expect(db.prepare('SELECT count(*) FROM logs').pluck().get()).toBe(3);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(253);
  });

  it("LogWriter stores a stream's last lines when it ends, without waiting for the flush timer", async () => {
    store();
    const writer = new LogWriter(db, { flushMs: 60_000 });
    const stream = new PassThrough();
    const done = writer.capture(stream, 'a', null, 'out');
    stream.write('one\ntwo\n');
    await new Promise<void>((r) => setImmediate(r));
    expect(writer.queued).toBe(2);
    stream.end('three');
    await done;
    expect(writer.queued).toBe(0);
    expect(queryLogs(db, { process: 'a', limit: 10 }).map((l) => l.line)).toEqual(['one', 'two', 'three']);
    writer.close();
  });

  /** Rows of several lines, as the writer stores them: [lines of a read, …]. */
  function fillReads(process: string, reads: string[][], at = 1_000): void {
    const ins = db.prepare(
      `INSERT INTO logs (process, run_id, stream, at, line, lines) VALUES (?, NULL, 'out', ?, ?, ?)`,
    );
    db.transaction(() => reads.forEach((r, i) => ins.run(process, at + i * 10, r.join('\n'), r.length)))();
  }

  it('rows of many lines answer line by line: tail, cursors inside a row, since, per-line grep with anchors', () => {
    store();
    fillReads('a', [
      ['r0 a', 'r0 b', 'r0 c'],
      ['r1 a', 'ERROR r1 b', 'r1 c'],
      ['r2 a', 'r2 b'],
    ]);
    const all = queryLogs(db, { process: 'a', limit: 100 });
    expect(all.map((l) => l.line)).toEqual(['r0 a', 'r0 b', 'r0 c', 'r1 a', 'ERROR r1 b', 'r1 c', 'r2 a', 'r2 b']);
    expect(queryLogs(db, { process: 'a', limit: 2 }).map((l) => l.line)).toEqual(['r2 a', 'r2 b']);
    expect(queryLogs(db, { process: 'a', limit: 4 }).map((l) => l.line)).toEqual([
      'ERROR r1 b',
      'r1 c',
      'r2 a',
      'r2 b',
    ]);
    // Cursors point into the middle of a row.
    expect(queryLogs(db, { process: 'a', after_id: all[1]!.id, limit: 3 }).map((l) => l.line)).toEqual([
      'r0 c',
      'r1 a',
      'ERROR r1 b',
    ]);
    expect(queryLogs(db, { process: 'a', before_id: all[4]!.id, limit: 2 }).map((l) => l.line)).toEqual([
      'r0 c',
      'r1 a',
    ]);
    expect(queryLogs(db, { process: 'a', since: 1_010, limit: 100 })).toHaveLength(5);
    // ^ anchors at each line, and only matching lines of a matching row come back.
    expect(queryLogs(db, { process: 'a', grep: '^ERROR', limit: 10 }).map((l) => l.line)).toEqual(['ERROR r1 b']);
    expect(queryLogs(db, { process: 'a', grep: 'b$', limit: 10 }).map((l) => l.line)).toEqual([
      'r0 b',
      'ERROR r1 b',
      'r2 b',
    ]);
    expect(queryLogs(db, { process: 'a', grep: 'c\\nr1', limit: 10 })).toEqual([]); // never across lines
  });

  it('trimLogs counts the lines and bytes of rows of many lines', () => {
    store();
    fillReads(
      'a',
      Array.from({ length: 10 }, (_, r) => Array.from({ length: 10 }, (_, i) => `a${r * 10 + i}`)),
    );
    expect(trimLogs(db, 'a', { max_lines: 35, max_bytes: 1024 ** 2 })).toBe(70); // whole rows go: 30 lines stay
    expect(queryLogs(db, { process: 'a', limit: 100 })[0]!.line).toBe('a70');
    fillReads('b', [Array.from({ length: 100 }, () => 'x'.repeat(99))]); // ~10 KB in one row
    fillReads('b', [['small']], 2_000);
    expect(trimLogs(db, 'b', { max_lines: 1_000, max_bytes: 5_000 })).toBe(100);
    expect(queryLogs(db, { process: 'b', limit: 100 }).map((l) => l.line)).toEqual(['small']);
  });

  it('LogWriter keeps a process within its retention, trimming to 90 % once a limit is passed', () => {
    store();
    const writer = new LogWriter(db, { retention: { max_lines: 10_000, max_bytes: 1024 ** 3 }, highWater: 1_000_000 });
    for (let r = 0; r < 60; r++)
      writer.writeLines(
        'a',
        null,
        'out',
        Array.from({ length: 1_000 }, (_, i) => `line ${r * 1_000 + i}`),
      );
    writer.flush(); // 60,000 lines: the first check sums the table and trims
    expect(logTotals(db, 'a').lines).toBe(9_000);
    for (let r = 60; r < 62; r++)
      writer.writeLines(
        'a',
        null,
        'out',
        Array.from({ length: 1_000 }, (_, i) => `line ${r * 1_000 + i}`),
      );
    writer.flush(); // 11,000 now: over again, counted without a scan
    expect(logTotals(db, 'a').lines).toBe(9_000);
    expect(queryLogs(db, { process: 'a', limit: 1 })[0]!.line).toBe('line 61999');
    writer.close();
  });
});
