/**
 * A crash loop that goes on for hours stays one bounded failure row: the first crashes an entry each, the rest one
 * rolling entry with the running count (the soak's crasher restarts twice a second for an hour).
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProcessInfo } from '../../../src-main/shared/contract';
import { CrashEpisodes, MORE_CRASHES, TIMELINE_CRASHES } from '../../../src-main/core/health/crash-episodes';
import { openDb, type Db } from '../../../src-main/core/store/db';
import { FailuresRepo } from '../../../src-main/core/store/failures-repo';
import { silentLogger } from '../../../src-main/core/util/logger';
import { tempDir } from '../../helpers/tmp';

let db: Db;
let cleanup: () => void;
beforeEach(() => {
  const t = tempDir();
  cleanup = t.cleanup;
  db = openDb(join(t.dir, 'sentinel.db'));
});
afterEach(() => {
  db.close();
  cleanup();
});

const info = (state: ProcessInfo['state'], restarts: number): ProcessInfo => ({
  name: 'crasher',
  group: null,
  state,
  pid: state === 'starting' ? 1000 + restarts : null,
  started_at: null,
  uptime_ms: null,
  restarts,
  last_exit_code: 1,
  last_signal: null,
  reason: state === 'backoff' ? `exited with code 1; restart ${restarts}/1000000 in 0 ms` : null,
  next_attempt_at: null,
  cpu: null,
  memory: null,
  schedule: null,
});

describe('crash episodes', () => {
  it('1,000 crashes in a row: one failure whose timeline stays bounded and counts every crash', () => {
    const failures = new FailuresRepo(db);
    let t = 1_000_000;
    let updates = 0;
    const episodes = new CrashEpisodes({
      failures,
      now: () => t,
      logger: silentLogger,
      lastLogs: () => [],
      resetAfter: () => 30_000,
      dryRun: () => false,
      onCreated: () => {},
      onUpdated: () => updates++,
    });
    for (let n = 1; n <= 1000; n++) {
      t += 500;
      episodes.onProcess(info('backoff', n));
      episodes.onProcess(info('starting', n));
    }
    episodes.stop();
    const { items } = failures.list();
    expect(items).toHaveLength(1);
    const detail = failures.get(items[0]!.id)!;
    expect(detail.kind).toBe('crash_loop');
    // 'crash loop' + crashes 3..TIMELINE_CRASHES + the rolling entry.
    expect(detail.timeline.length).toBeLessThanOrEqual(TIMELINE_CRASHES + 1);
    expect(detail.timeline.map((e) => e.event)).toContain(`crash ${TIMELINE_CRASHES}`);
    expect(detail.timeline.map((e) => e.event)).not.toContain(`crash ${TIMELINE_CRASHES + 1}`);
    const last = detail.timeline.at(-1)!;
    expect(last).toMatchObject({ event: MORE_CRASHES, at: t });
    expect(last.detail).toContain(`crashes ${TIMELINE_CRASHES + 1}–1000`);
    // Every crash after the first still updates the failure (live views hear of it).
    expect(updates).toBe(1000 - 2);
  });

  it('a rolling entry moves behind what others appended meanwhile (an alert delivery)', () => {
    const failures = new FailuresRepo(db);
    const f = failures.insert({
      service: 'crasher',
      kind: 'crash_loop',
      started_at: 1,
      detected_by: 'supervisor',
      reason: 'crash loop',
      checks: [],
      upstream_down: false,
      timeline: [{ at: 1, event: 'crash loop' }],
    });
    failures.update(f.id, { rolling: { at: 2, event: MORE_CRASHES, detail: 'crashes 21–21' } });
    failures.update(f.id, { append: [{ at: 3, event: 'alert sent' }] });
    failures.update(f.id, { rolling: { at: 4, event: MORE_CRASHES, detail: 'crashes 21–22' } });
    expect(failures.get(f.id)!.timeline).toEqual([
      { at: 1, event: 'crash loop' },
      { at: 3, event: 'alert sent' },
      { at: 4, event: MORE_CRASHES, detail: 'crashes 21–22' },
    ]);
  });
});
