import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { integrityCheck, openDb } from '../../../src-main/core/store/db';
import { liveGroupMembers, signalGroup } from '../../../src-main/core/supervisor/process-group';
import { reconcile } from '../../../src-main/core/supervisor/reconcile';
import { tempDir } from '../../helpers/tmp';
import { waitFor } from '../../helpers/wait';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('reconcile after a supervisor crash', () => {
  it('kills the left-over groups of a SIGKILLed supervisor, closes their runs and records it', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const file = join(t.dir, 'sentinel.db');
    const doomed = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'fixtures/doomed-supervisor.ts'), file],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    doomed.stdout!.on('data', (b: Buffer) => (out += b));
    const ready = await waitFor(() => /ready (\d+) (\d+)/.exec(out), {
      timeout: 20_000,
      what: 'doomed supervisor ready',
    });
    const groups = [Number(ready[1]), Number(ready[2])];
    cleanups.push(() => groups.forEach((g) => signalGroup(g, 'SIGKILL')));
    await waitFor(async () => (await liveGroupMembers(groups[0]!)).length === 3, { what: 'sleepers up' });

    doomed.kill('SIGKILL');
    await new Promise((r) => doomed.once('exit', r));
    expect((await liveGroupMembers(groups[0]!)).length).toBe(3); // orphans, as after a real crash

    const db = openDb(file);
    expect(integrityCheck(db)).toBe('ok');
    const report = await reconcile(db, { graceMs: 1_000 });
    // The chatter may already be dead of SIGPIPE (its pipe's reader was the supervisor); the sleepers never write.
    expect(report.examined).toBe(2);
    expect(report.killed + report.closed).toBe(2);
    for (const g of groups) expect(await liveGroupMembers(g)).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM runs WHERE ended_at IS NULL').pluck().get()).toBe(0);
    const rows = db.prepare('SELECT process, action, detail FROM reconciliations ORDER BY id').all() as {
      process: string;
      action: string;
    }[];
    expect(rows.find((r) => r.process === 'sleeper')?.action).toBe('killed-leftover');
    expect(['killed-leftover', 'closed-dead']).toContain(rows.find((r) => r.process === 'chatter')?.action);
    expect(db.prepare("SELECT reason FROM runs WHERE process = 'sleeper'").pluck().get()).toMatch(
      /reconciled after a supervisor crash/,
    );

    // A second pass finds nothing left to do.
    expect(await reconcile(db)).toMatchObject({ examined: 0 });
    db.close();
  });

  it('closes runs whose children are gone without touching anything', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const db = openDb(join(t.dir, 'sentinel.db'));
    db.prepare('INSERT INTO runs (process, pid, pgid, supervisor_pid, started_at) VALUES (?, ?, ?, ?, ?)').run(
      'gone',
      999_999,
      999_999,
      1,
      Date.now() - 1000,
    );
    expect(await reconcile(db)).toMatchObject({ examined: 1, killed: 0, closed: 1 });
    expect(db.prepare('SELECT action FROM reconciliations').pluck().get()).toBe('closed-dead');
    db.close();
  });
});
