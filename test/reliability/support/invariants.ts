/**
 * What must hold for a supervisor at rest, as lists of human-readable violations (empty = holds), so a failing
 * assertion says exactly which child or run row is wrong.
 */
import type Database from 'better-sqlite3';
import { markedProcesses, type MarkedProcess } from '../../../bench/lib/procfs';
import { alive } from '../../helpers/wait';
import { NAME_VAR } from './programs';

export interface RunRow {
  id: number;
  process: string;
  pid: number;
  pgid: number;
  supervisor_pid: number;
  ended_at: number | null;
  reason: string | null;
}

export function runRows(db: Database.Database): RunRow[] {
  return db
    .prepare('SELECT id, process, pid, pgid, supervisor_pid, ended_at, reason FROM runs ORDER BY id')
    .all() as RunRow[];
}

/**
 * Pure: given the children found in /proc and the run rows, what is wrong?
 * - duplicated: one configured name lives in more than one process group;
 * - orphaned: a marked child whose process group no open run row accounts for;
 * - stale: a run row still open whose pid is dead;
 * - unexplained: a closed run row without a reason.
 */
export function supervisionViolations(
  children: MarkedProcess[],
  runs: RunRow[],
  isAlive: (pid: number) => boolean = alive,
): string[] {
  const out: string[] = [];
  const groupsByName = new Map<string, Set<number>>();
  for (const c of children) {
    const name = c.env[NAME_VAR] ?? '?';
    if (!groupsByName.has(name)) groupsByName.set(name, new Set());
    groupsByName.get(name)!.add(c.pgrp);
  }
  for (const [name, groups] of groupsByName) {
    if (groups.size > 1)
      out.push(`duplicated: "${name}" runs in ${groups.size} process groups (${[...groups].join(', ')})`);
  }
  const open = runs.filter((r) => r.ended_at === null);
  const openGroups = new Set(open.map((r) => r.pgid));
  for (const c of children) {
    if (!openGroups.has(c.pgrp))
      out.push(`orphaned: pid ${c.pid} ("${c.env[NAME_VAR] ?? '?'}", pgrp ${c.pgrp}) has no open run row`);
  }
  for (const r of open)
    if (!isAlive(r.pid)) out.push(`stale: run ${r.id} ("${r.process}", pid ${r.pid}) is open but its pid is dead`);
  for (const r of runs)
    if (r.ended_at !== null && !r.reason) out.push(`unexplained: run ${r.id} ("${r.process}") closed without a reason`);
  return out;
}

/** The live check against /proc and the store. */
export function liveViolations(db: Database.Database, mark: string): string[] {
  return supervisionViolations(markedProcesses(mark), runRows(db));
}
