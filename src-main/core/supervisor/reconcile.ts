/**
 * After a supervisor crash (kill -9, power loss) the store still says some runs are running. Their children lost
 * their stdout/stderr pipes with the old supervisor, so they cannot be adopted with their logs intact; the safe
 * choice is to end them and let the new supervisor start them again — otherwise a second copy would run beside a
 * leftover that still holds the port. Every decision is written to `reconciliations`.
 */
import { groupStartTimes } from '../../platform/process-table';
import type { Db } from '../store/db';
import { silentLogger, type Logger } from '../util/logger';
import { killGroup } from './process-group';
import { RunsRepo, type OpenRun } from '../store/runs-repo';

export type ReconcileAction = 'killed-leftover' | 'closed-dead' | 'closed-recycled';

export interface ReconcileRow {
  run_id: number;
  process: string;
  pid: number;
  action: ReconcileAction;
  detail: string;
}

export interface ReconcileReport {
  examined: number;
  killed: number;
  closed: number;
  rows: ReconcileRow[];
}

/** A member that started before the run did is some other program that got a recycled pid. */
const CLOCK_SLACK_MS = 5_000;

export async function reconcile(
  db: Db,
  opts: { logger?: Logger; ownPid?: number; graceMs?: number; now?: () => number } = {},
): Promise<ReconcileReport> {
  const log = opts.logger ?? silentLogger;
  const ownPid = opts.ownPid ?? process.pid;
  const now = opts.now ?? Date.now;
  const repo = new RunsRepo(db);
  const report: ReconcileReport = { examined: 0, killed: 0, closed: 0, rows: [] };

  const settle = (run: OpenRun, action: ReconcileAction, detail: string) => {
    repo.settleLeftover(run, { at: now(), action, detail, signal: action === 'killed-leftover' ? 'SIGTERM' : null });
    report.rows.push({ run_id: run.id, process: run.process, pid: run.pid, action, detail });
  };

  for (const run of repo.openRuns()) {
    if (run.supervisor_pid === ownPid) continue;
    report.examined++;
    const members = await groupStartTimes(run.pgid);
    const starts = members.filter((t) => Number.isNaN(t) || t >= run.started_at - CLOCK_SLACK_MS);
    if (starts.length === 0) {
      const recycled = members.length > 0;
      settle(
        run,
        recycled ? 'closed-recycled' : 'closed-dead',
        recycled ? `group ${run.pgid} now belongs to another program; left alone` : 'supervisor crashed; child gone',
      );
      report.closed++;
      continue;
    }
    const res = await killGroup(run.pgid, 'SIGTERM', opts.graceMs ?? 2_000);
    settle(
      run,
      'killed-leftover',
      `left-over group ${run.pgid} (${starts.length} process${starts.length === 1 ? '' : 'es'}) ${res.forced ? 'killed with SIGKILL' : 'stopped with SIGTERM'}`,
    );
    report.killed++;
    log.warn(`reconcile: stopped the left-over process group of "${run.process}"`, {
      pgid: run.pgid,
      forced: res.forced,
    });
  }
  if (report.examined > 0)
    log.info('reconciled runs left open by a previous supervisor', {
      examined: report.examined,
      killed: report.killed,
      closed: report.closed,
    });
  return report;
}
