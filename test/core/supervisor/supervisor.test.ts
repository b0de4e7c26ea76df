import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ProcessSchema, type ProcessSpec } from '../../../src-main/core/config/schema';
import { integrityCheck, openDb, type Db } from '../../../src-main/core/store/db';
import { liveGroupMembers } from '../../../src-main/core/supervisor/process-group';
import { queryLogs } from '../../../src-main/core/store/logs-repo';
import { Supervisor, type ExitEvent } from '../../../src-main/core/supervisor/supervisor';
import { tempDir } from '../../helpers/tmp';
import { waitFor, waitForEvent } from '../../helpers/wait';

const open: { sup: Supervisor; db: Db; cleanup: () => void }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.sup.shutdown();
    o.db.close();
    o.cleanup();
  }
});

function setup(specs: Record<string, unknown>[], env?: NodeJS.ProcessEnv) {
  const t = tempDir();
  const db = openDb(join(t.dir, 'sentinel.db'));
  const sup = new Supervisor({
    db,
    logRetention: { max_lines: 2_000_000, max_bytes: 1024 ** 3 },
    ...(env ? { env } : {}),
  });
  sup.setSpecs(specs.map((s) => ProcessSchema.parse(s) as ProcessSpec));
  open.push({ sup, db, cleanup: t.cleanup });
  return { sup, db, dir: t.dir };
}

const sh = (name: string, script: string, extra: Record<string, unknown> = {}) => ({
  name,
  command: '/bin/sh',
  args: ['-c', script],
  ...extra,
});

describe('supervisor with real processes', () => {
  it('restarts a crasher with growing delays, then goes fatal after max_retries', async () => {
    const { sup, db } = setup([
      sh('crasher', 'exit 1', { restart: { delay: '100ms', backoff: 2, max_retries: 3, start_secs: '1s' } }),
    ]);
    await sup.start('crasher');
    await waitFor(() => sup.info('crasher').state === 'fatal', { what: 'crasher fatal' });
    const runs = db
      .prepare("SELECT started_at, ended_at, exit_code FROM runs WHERE process = 'crasher' ORDER BY id")
      .all() as { started_at: number; ended_at: number; exit_code: number }[];
    expect(runs).toHaveLength(4); // the first run and max_retries restarts
    expect(runs.every((r) => r.exit_code === 1)).toBe(true);
    const gaps = runs.slice(1).map((r, i) => r.started_at - runs[i]!.ended_at);
    // Each gap is at least its delay and shorter than the next delay: the doubling shows even when a loaded
    // machine fires a timer late (a fixed +50 ms bound failed at a load of 8).
    [100, 200, 400].forEach((want, i) => {
      expect(gaps[i]).toBeGreaterThanOrEqual(want - 5);
      expect(gaps[i]).toBeLessThan(2 * want - 5);
    });
    const info = sup.info('crasher');
    expect(info.restarts).toBe(3);
    expect(info.reason).toMatch(/4 failures within 10m exceed max_retries 3/);
    const states = db.prepare("SELECT to_state FROM events WHERE process = 'crasher' ORDER BY id").pluck().all();
    expect(states.filter((s) => s === 'backoff')).toHaveLength(3);
    expect(states.at(-1)).toBe('fatal');
  });

  it('shows the next attempt while backing off', async () => {
    const { sup } = setup([sh('slow', 'exit 7', { restart: { delay: '30s' } })]);
    const before = Date.now();
    await sup.start('slow');
    await waitFor(() => sup.info('slow').state === 'backoff');
    const next = sup.info('slow').next_attempt_at!;
    expect(next - before).toBeGreaterThanOrEqual(29_000);
    expect(next - before).toBeLessThanOrEqual(31_000);
    await sup.stop('slow');
    expect(sup.info('slow')).toMatchObject({ state: 'stopped', next_attempt_at: null });
  });

  it('leaves a clean exit alone under on-failure, and reaches running after start_secs', async () => {
    const { sup } = setup([
      sh('once', 'echo hi'),
      { name: 'long', command: 'sleep', args: ['30'], restart: { start_secs: '200ms' } },
    ]);
    await sup.startAutostart();
    await waitFor(() => sup.info('once').state === 'exited' && sup.info('long').state === 'running');
    expect(sup.info('once')).toMatchObject({ restarts: 0, last_exit_code: 0 });
    expect(sup.info('long').pid).toBeGreaterThan(0);
  });

  it('stop kills the whole process group, background jobs included', async () => {
    const { sup } = setup([sh('family', 'sleep 300 & sleep 301 & wait')]);
    await sup.start('family');
    const pgid = sup.pgidOf('family')!;
    await waitFor(async () => (await liveGroupMembers(pgid)).length === 3, { what: 'shell and two sleeps' });
    await sup.stop('family');
    expect(await liveGroupMembers(pgid)).toEqual([]);
    expect(sup.info('family').state).toBe('stopped');
  });

  it('SIGKILLs a child that ignores SIGTERM after the grace', async () => {
    const { sup, db } = setup([
      {
        name: 'stubborn',
        command: process.execPath,
        args: ['-e', "process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000)"],
        stop: { timeout: '300ms' },
      },
    ]);
    await sup.start('stubborn');
    await waitFor(() => queryLogs(db, { process: 'stubborn', grep: '^ready$', limit: 1 }).length === 1, {
      what: 'child ready',
    });
    const pgid = sup.pgidOf('stubborn')!;
    const t0 = Date.now();
    await sup.stop('stubborn');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(await liveGroupMembers(pgid)).toEqual([]);
    expect(sup.info('stubborn').reason).toMatch(/SIGKILL after 300ms/);
    expect(db.prepare("SELECT signal FROM runs WHERE process = 'stubborn'").pluck().get()).toBe('SIGKILL');
  });

  it('stops a child that daemonized (forked and exited) through its group', async () => {
    const { sup } = setup([sh('daemon', '(sleep 300 &) ; exit 0')]);
    await sup.start('daemon');
    await waitFor(() => sup.info('daemon').state === 'exited');
    const pgid = (sup as unknown as { procs: Map<string, { pgid: number }> }).procs.get('daemon')!.pgid;
    expect((await liveGroupMembers(pgid)).length).toBe(1); // the orphaned sleep
    await sup.stop('daemon');
    expect(await liveGroupMembers(pgid)).toEqual([]);
  });

  it('reports a command that cannot be spawned as a failure with the reason', async () => {
    const { sup } = setup([{ name: 'ghost', command: '/nonexistent/binary', restart: { max_retries: 0 } }]);
    await sup.start('ghost');
    await waitFor(() => sup.info('ghost').state === 'fatal');
    expect(sup.info('ghost').reason).toMatch(/could not spawn: .*ENOENT/);
  });

  it('a stop right after a failed spawn settles in stopped, and the late spawn error changes nothing', async () => {
    const { sup } = setup([{ name: 'ghost', command: '/nonexistent/binary' }]);
    await sup.start('ghost');
    await sup.stop('ghost');
    expect(sup.info('ghost').state).toBe('stopped');
    await new Promise<void>((r) => setImmediate(r)); // the spawn 'error' is delivered on a tick before this
    expect(sup.info('ghost')).toMatchObject({ state: 'stopped', restarts: 0 });
  });

  it('names an unknown process in the error', async () => {
    const { sup } = setup([]);
    await expect(sup.start('nobody')).rejects.toThrow(/no process named "nobody"/);
    expect(() => sup.info('nobody')).toThrow(/"nobody"/);
  });

  it('a removed process is stopped, group and all, and forgotten', async () => {
    const { sup, db } = setup([sh('old', 'sleep 300 & wait'), { name: 'keep', command: 'sleep', args: ['30'] }]);
    await sup.startAutostart();
    const pgid = sup.pgidOf('old')!;
    await waitFor(async () => (await liveGroupMembers(pgid)).length === 2, { what: 'shell and sleep' });
    const diff = sup.setSpecs([ProcessSchema.parse({ name: 'keep', command: 'sleep', args: ['30'] }) as ProcessSpec]);
    expect(diff).toEqual({ added: [], removed: ['old'], changed: [], unchanged: ['keep'] });
    await waitFor(() => !sup.names().includes('old'), { what: 'old forgotten' });
    expect(await liveGroupMembers(pgid)).toEqual([]);
    expect(db.prepare("SELECT count(*) FROM processes WHERE name = 'old'").pluck().get()).toBe(0);
    expect(sup.info('keep').state).not.toBe('stopped');
  });

  it('emits exit events, and marks requested exits', async () => {
    const { sup } = setup([{ name: 'napper', command: 'sleep', args: ['30'] }]);
    await sup.start('napper');
    const exit = waitForEvent<[ExitEvent]>(sup, 'exit');
    await sup.stop('napper');
    const [e] = await exit;
    expect(e).toMatchObject({ name: 'napper', requested: true, signal: 'SIGTERM' });
  });

  it('captures every line of a fast writer, in order, with bounded memory', async () => {
    const N = 200_000;
    const { sup, db } = setup([
      {
        name: 'chatty',
        command: process.execPath,
        args: ['-e', `for (let i = 0; i < ${N}; i++) process.stdout.write('line ' + i + '\\n')`],
      },
    ]);
    const heapBefore = process.memoryUsage().heapUsed;
    await sup.start('chatty');
    await waitFor(() => sup.info('chatty').state === 'exited', { timeout: 60_000 });
    await waitFor(
      () =>
        (db
          .prepare("SELECT coalesce(sum(lines), 0) FROM logs WHERE process = 'chatty' AND stream = 'out'")
          .pluck()
          .get() as number) === N,
      { timeout: 30_000, what: 'all lines stored' },
    );
    const last = queryLogs(db, { process: 'chatty', stream: 'out', limit: 2 });
    expect(last.map((l) => l.line)).toEqual([`line ${N - 2}`, `line ${N - 1}`]);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(100 * 1024 * 1024);
    expect(integrityCheck(db)).toBe('ok');
  });

  it('redacts secret env values from captured output', async () => {
    const { sup, db } = setup([sh('leaky', 'echo "token is $API_TOKEN"', { env: { API_TOKEN: 's3cr3t-value-123' } })]);
    await sup.start('leaky');
    await waitFor(() => queryLogs(db, { process: 'leaky', stream: 'out', limit: 5 }).length === 1);
    const [line] = queryLogs(db, { process: 'leaky', stream: 'out', limit: 5 });
    expect(line!.line).not.toContain('s3cr3t-value-123');
    expect(line!.line).toMatch(/token is \[redacted\]/i);
  });

  it('applies a new config as a diff: only the changed process restarts', async () => {
    const base = [
      { name: 'a', command: 'sleep', args: ['30'] },
      { name: 'b', command: 'sleep', args: ['31'] },
    ];
    const { sup } = setup(base);
    await sup.startAutostart();
    const pidA = sup.pidOf('a');
    const pidB = sup.pidOf('b');
    const diff = sup.setSpecs(
      [base[0], { ...base[1], args: ['32'] }, { name: 'c', command: 'sleep', args: ['33'] }].map(
        (s) => ProcessSchema.parse(s) as ProcessSpec,
      ),
    );
    expect(diff).toEqual({ added: ['c'], removed: [], changed: ['b'], unchanged: ['a'] });
    await waitFor(() => sup.pidOf('b') !== null && sup.pidOf('b') !== pidB, { what: 'b restarted' });
    expect(sup.pidOf('a')).toBe(pidA);
    expect(sup.info('c').state).toBe('stopped');
  });
});

describe('supervisor when the store is full', () => {
  it('keeps supervising, reports the store degraded, and recovers when space returns', async () => {
    const { sup, db } = setup([
      sh('crasher', 'echo out; exit 1', { restart: { delay: '50ms', backoff: 1, max_retries: 1000, window: '1s' } }),
      { name: 'steady', command: 'sleep', args: ['30'] },
    ]);
    await sup.startAutostart();
    await waitFor(() => sup.info('crasher').restarts >= 2);
    // SQLite refuses to grow the file past max_page_count: every write fails with SQLITE_FULL, as on a full disk.
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    const before = sup.info('crasher').restarts;
    await waitFor(() => sup.storeError !== null, { what: 'store degraded' });
    await waitFor(() => sup.info('crasher').restarts >= before + 5, { what: 'restarts go on while the store is full' });
    expect(sup.storeError).toMatch(/full/i);
    expect(sup.info('steady').pid).not.toBeNull();
    db.pragma('max_page_count = 1073741823');
    await waitFor(() => sup.storeError === null, { what: 'store healthy again' });
    await sup.stop('crasher');
    expect(db.prepare("SELECT state FROM processes WHERE name = 'crasher'").pluck().get()).toBe('stopped');
    expect(integrityCheck(db)).toBe('ok');
  });
});
