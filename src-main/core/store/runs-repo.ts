/**
 * The supervisor's rows: processes (current state), runs (one per start), events (every transition and limit
 * action), and the reconciliations made after a supervisor crash.
 */
import type { ProcessState } from '../../shared/contract';
import type { Db } from './db';

export interface OpenRun {
  id: number;
  process: string;
  pid: number;
  pgid: number;
  supervisor_pid: number;
  started_at: number;
}

export interface ProcessRow {
  state: ProcessState;
  pid: number | null;
  restarts: number;
  last_exit_code: number | null;
  last_signal: string | null;
  reason: string | null;
}

export class RunsRepo {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      upsertProcess: db.prepare(
        `INSERT INTO processes (name, spec_json, state, updated_at) VALUES (?, ?, 'stopped', ?)
         ON CONFLICT(name) DO UPDATE SET spec_json = excluded.spec_json, updated_at = excluded.updated_at`,
      ),
      updateProcess: db.prepare(
        `UPDATE processes SET state = @state, pid = @pid, restarts = @restarts, last_exit_code = @last_exit_code,
         last_signal = @last_signal, reason = @reason, updated_at = @at WHERE name = @name`,
      ),
      deleteProcess: db.prepare('DELETE FROM processes WHERE name = ?'),
      openRun: db.prepare('INSERT INTO runs (process, pid, pgid, supervisor_pid, started_at) VALUES (?, ?, ?, ?, ?)'),
      closeRun: db.prepare(
        'UPDATE runs SET ended_at = ?, exit_code = ?, signal = ?, reason = ? WHERE id = ? AND ended_at IS NULL',
      ),
      openRuns: db.prepare(
        'SELECT id, process, pid, pgid, supervisor_pid, started_at FROM runs WHERE ended_at IS NULL ORDER BY id',
      ),
      reconciliation: db.prepare(
        'INSERT INTO reconciliations (at, run_id, process, pid, action, detail) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      markStopped: db.prepare(
        "UPDATE processes SET state = 'stopped', pid = NULL, reason = ?, updated_at = ? WHERE name = ?",
      ),
      event: db.prepare(
        'INSERT INTO events (process, at, from_state, to_state, reason, data_json) VALUES (?, ?, ?, ?, ?, ?)',
      ),
    };
  }

  /** Runs `fn` in one transaction (one WAL commit); throws what the commit throws. */
  inOneCommit(fn: () => void): void {
    this.db.transaction(fn)();
  }

  upsertProcess(name: string, spec: unknown, at: number): void {
    this.stmts.upsertProcess.run(name, JSON.stringify(spec), at);
  }

  updateProcess(name: string, row: ProcessRow, at: number): void {
    this.stmts.updateProcess.run({ name, at, ...row });
  }

  deleteProcess(name: string): void {
    this.stmts.deleteProcess.run(name);
  }

  openRun(run: Omit<OpenRun, 'id'>): number {
    return Number(
      this.stmts.openRun.run(run.process, run.pid, run.pgid, run.supervisor_pid, run.started_at).lastInsertRowid,
    );
  }

  closeRun(
    id: number,
    end: { ended_at: number; exit_code: number | null; signal: string | null; reason: string },
  ): void {
    this.stmts.closeRun.run(end.ended_at, end.exit_code, end.signal, end.reason, id);
  }

  openRuns(): OpenRun[] {
    return this.stmts.openRuns.all() as OpenRun[];
  }

  /**
   * Closes a run left open by a crashed supervisor, records what was done about it and marks its process stopped,
   * in one transaction.
   */
  settleLeftover(run: OpenRun, s: { at: number; action: string; detail: string; signal: string | null }): void {
    this.db.transaction(() => {
      this.closeRun(run.id, {
        ended_at: s.at,
        exit_code: null,
        signal: s.signal,
        reason: `reconciled after a supervisor crash: ${s.detail}`,
      });
      this.stmts.reconciliation.run(s.at, run.id, run.process, run.pid, s.action, s.detail);
      this.stmts.markStopped.run(`reconciled: ${s.detail}`, s.at, run.process);
    })();
  }

  recordEvent(e: {
    process: string;
    at: number;
    from: ProcessState | null;
    to: string;
    reason: string | null;
    data?: unknown;
  }): void {
    this.stmts.event.run(e.process, e.at, e.from, e.to, e.reason, e.data === undefined ? null : JSON.stringify(e.data));
  }
}
