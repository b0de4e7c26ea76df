/**
 * Scenario 6: the store under history. 100,000 failures and 1,000,000 log lines in a fresh store (openDb + prepared
 * inserts in transactions), then the queries the windows make, through the real code: FailuresRepo.list (a page
 * and its total, with and without a service filter) and queryLogs (process + regular expression), as the
 * failures.list and logs.query channels call them. Sentinel only; target p99 ≤ 100 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type Db } from '../../src-main/core/store/db';
import { FailuresRepo } from '../../src-main/core/store/failures-repo';
import { queryLogs } from '../../src-main/core/store/logs-repo';
import type { BenchContext } from '../lib/harness';
import type { ScenarioResult } from '../lib/scenario';

const SERVICES = Array.from({ length: 20 }, (_, i) => `svc${i}`);
const PROCESSES = Array.from({ length: 20 }, (_, i) => `proc${i}`);
const PAGE = 50;
const UI_TARGET_MS = 100;

/** A deterministic generator so every run queries the same data (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Inserts the history; returns the seconds each table took (the log rate is the ceiling of any row-per-line capture). */
function fill(db: Db, failures: number, logLines: number): { failuresSecs: number; logsSecs: number } {
  const rnd = seeded(42);
  const t0 = performance.now();
  const now = Date.now();
  const year = 365 * 86_400_000;
  const insF = db.prepare(
    `INSERT INTO failures (service, kind, started_at, detected_by, reason, upstream_down, restart_attempted, restart_successful, recovered_at, time_to_recover_ms, outcome)
     VALUES (?, ?, ?, 'check', ?, 0, 1, 1, ?, ?, 'recovered')`,
  );
  db.transaction(() => {
    for (let i = 0; i < failures; i++) {
      const at = Math.floor(now - rnd() * year);
      insF.run(
        SERVICES[i % SERVICES.length],
        i % 3 ? 'check_failed' : 'crash',
        at,
        `http check failed: ECONNREFUSED #${i}`,
        at + 5000,
        5000,
      );
    }
  })();
  const t1 = performance.now();
  const insL = db.prepare(`INSERT INTO logs (process, run_id, stream, at, line) VALUES (?, 1, 'out', ?, ?)`);
  const batch = 10_000;
  for (let start = 0; start < logLines; start += batch) {
    db.transaction(() => {
      for (let i = start; i < Math.min(logLines, start + batch); i++) {
        // One line in a thousand is an error, so the grep has something rare to find.
        const line =
          i % 1000 === 7
            ? `ERROR request ${i} failed: upstream timeout`
            : `INFO request ${i} served in ${(i * 7) % 300} ms`;
        insL.run(PROCESSES[i % PROCESSES.length], now - (logLines - i) * 10, line);
      }
    })();
  }
  return { failuresSecs: (t1 - t0) / 1000, logsSecs: (performance.now() - t1) / 1000 };
}

function timeIt(fn: () => unknown, times: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return out;
}

export async function storeScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const failures = ctx.quick ? 10_000 : 100_000;
  const logLines = ctx.quick ? 100_000 : 1_000_000;
  const times = ctx.quick ? 50 : 200;
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-bench-store-'));
  const db = openDb(join(dir, 'sentinel.db'));
  try {
    const filled = fill(db, failures, logLines);
    const logRate = Math.round(logLines / filled.logsSecs);
    ctx.log(
      `  store: ${failures} failures in ${filled.failuresSecs.toFixed(1)} s, ${logLines} log lines in ${filled.logsSecs.toFixed(1)} s (${logRate} rows/s)`,
    );
    const rnd = seeded(7);
    const repo = new FailuresRepo(db);
    const perService = failures / SERVICES.length;
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const firstPages = timeIt(() => repo.list({ limit: PAGE, offset: 0 }), times);
    const anyPage = timeIt(() => repo.list({ limit: PAGE, offset: Math.floor(rnd() * (failures - PAGE)) }), times);
    const servicePage = timeIt(
      () => repo.list({ service: pick(SERVICES), limit: PAGE, offset: Math.floor(rnd() * (perService - PAGE)) }),
      times,
    );
    // logs.query's default limit is 500: a rare match (1 line in 1000) makes queryLogs walk the whole process.
    const logGrep = timeIt(
      () => queryLogs(db, { process: pick(PROCESSES), grep: 'ERROR .* failed', limit: 500 }),
      times,
    );
    const logTail = timeIt(() => queryLogs(db, { process: pick(PROCESSES), limit: 500 }), times);
    const target = [{ maxP99: UI_TARGET_MS }];
    return {
      scenario: `6. store: ${failures.toLocaleString('en')} failures, ${logLines.toLocaleString('en')} log lines (Sentinel only)`,
      metrics: [
        { name: 'failures page 1 + count', unit: 'ms', samples: { sentinel: firstPages }, targets: target },
        { name: 'failures random page + count', unit: 'ms', samples: { sentinel: anyPage }, targets: target },
        {
          name: 'failures by service, random page + count',
          unit: 'ms',
          samples: { sentinel: servicePage },
          targets: target,
        },
        {
          name: 'logs.query: process + rare regexp, limit 500',
          unit: 'ms',
          samples: { sentinel: logGrep },
          targets: target,
        },
        { name: 'logs.query: process tail, limit 500', unit: 'ms', samples: { sentinel: logTail }, targets: target },
      ],
      notes: [
        `Fill: failures ${filled.failuresSecs.toFixed(1)} s; log lines ${filled.logsSecs.toFixed(1)} s = ${logRate.toLocaleString('en')} rows/s in 10,000-row transactions with both logs indexes — the ceiling of a row-per-line capture on this machine.`,
        `${times} queries each; random offsets cover the whole history.`,
      ],
    };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
