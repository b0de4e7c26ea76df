/**
 * After a supervisor crash (kill -9, power loss) the store still says some runs are running. Their children lost
 * their stdout/stderr pipes with the old supervisor, so they cannot be adopted with their logs intact; the safe
 * choice is to end them and let the new supervisor start them again — otherwise a second copy would run beside a
 * leftover that still holds the port. Every decision is written to `reconciliations`.
 */
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { processTable } from '../limits/group-pids';
import type { Db } from '../store/db';
import { silentLogger, type Logger } from '../util/logger';
import { killGroup } from './process-group';
import { RunsRepo, type OpenRun } from './runs-repo';

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

/**
 * Linux boot time and clock tick, to turn /proc start ticks into epoch ms. /proc reports USER_HZ, which the kernel
 * fixes at 100 on every mainstream architecture, so no `getconf CLK_TCK` child is spawned for it.
 */
function linuxClock(): { bootMs: number; hz: number } | null {
  try {
    const btime = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
    return btime ? { bootMs: Number(btime[1]) * 1000, hz: 100 } : null;
  } catch {
    return null;
  }
}

/** Epoch ms at which each live member of the group started (empty when the group is gone). */
async function groupStartTimes(pgid: number): Promise<number[]> {
  if (process.platform === 'linux') {
    const clock = linuxClock();
    const rows = (await processTable('linux')).filter((r) => r.pgid === pgid && r.state !== 'Z' && r.state !== 'X');
    return rows.map((r) =>
      clock && r.startTicks !== undefined ? clock.bootMs + (r.startTicks / clock.hz) * 1000 : Number.NaN,
    );
  }
  try {
    // `ps -o etime` exists on macOS and Linux: elapsed [[dd-]hh:]mm:ss.
    const out = execFileSync('ps', ['-g', String(pgid), '-o', 'etime='], { encoding: 'utf8', timeout: 5000 });
    return out
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => Date.now() - parseEtime(l.trim()));
  } catch {
    return []; // ps exits 1 when the group has no process
  }
}

export function parseEtime(text: string): number {
  const m = /^(?:(\d+)-)?(?:(\d+):)?(\d+):(\d+)$/.exec(text);
  if (!m) return Number.NaN;
  const [, d = '0', h = '0', min, s] = m;
  return (((Number(d) * 24 + Number(h)) * 60 + Number(min)) * 60 + Number(s)) * 1000;
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
  const record = db.prepare(
    'INSERT INTO reconciliations (at, run_id, process, pid, action, detail) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const report: ReconcileReport = { examined: 0, killed: 0, closed: 0, rows: [] };

  const settle = (run: OpenRun, action: ReconcileAction, detail: string) => {
    const at = now();
    db.transaction(() => {
      repo.closeRun(run.id, {
        ended_at: at,
        exit_code: null,
        signal: action === 'killed-leftover' ? 'SIGTERM' : null,
        reason: `reconciled after a supervisor crash: ${detail}`,
      });
      record.run(at, run.id, run.process, run.pid, action, detail);
      db.prepare("UPDATE processes SET state = 'stopped', pid = NULL, reason = ?, updated_at = ? WHERE name = ?").run(
        `reconciled: ${detail}`,
        at,
        run.process,
      );
    })();
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
