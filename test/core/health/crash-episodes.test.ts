/**
 * A crash loop that goes on for hours stays one bounded failure row: the first crashes an entry each, the rest one
 * rolling entry with the running count (the soak's crasher restarts twice a second for an hour).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProcessInfo } from '../../../src-main/shared/contract';
import {
  CrashEpisodes,
  MORE_CRASHES,
  ROLLING_EVERY_MS,
  TIMELINE_CRASHES,
} from '../../../src-main/core/health/crash-episodes';
import { FailuresRepo } from '../../../src-main/core/store/failures-repo';
import { silentLogger } from '../../../src-main/core/util/logger';
import { processInfo } from '../../helpers/process-info';
import { useTempDb } from '../../helpers/temp-db';

const db = useTempDb();

const info = (state: ProcessInfo['state'], restarts: number): ProcessInfo =>
  processInfo({
    name: 'crasher',
    state,
    pid: state === 'starting' ? 1000 + restarts : null,
    started_at: null,
    uptime_ms: null,
    restarts,
    last_exit_code: 1,
    reason: state === 'backoff' ? `exited with code 1; restart ${restarts}/1000000 in 0 ms` : null,
  });

const episodesOn = (failures: FailuresRepo, clock: { t: number }, updates: { n: number }) =>
  new CrashEpisodes({
    failures,
    now: () => clock.t,
    logger: silentLogger,
    lastLogs: () => [],
    resetAfter: () => 30_000,
    dryRun: () => false,
    onCreated: () => {},
    onUpdated: () => updates.n++,
  });

describe('crash episodes', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('1,000 crashes in a row: one failure whose timeline stays bounded and counts every crash', () => {
    const failures = new FailuresRepo(db());
    const clock = { t: 1_000_000 };
    const updates = { n: 0 };
    const episodes = episodesOn(failures, clock, updates);
    for (let n = 1; n <= 1000; n++) {
      clock.t += 500;
      episodes.onProcess(info('backoff', n));
      episodes.onProcess(info('starting', n));
    }
    // Crashes 3..TIMELINE_CRASHES an update each; the rest wait for the rolling write (none came due here).
    expect(updates.n).toBe(TIMELINE_CRASHES - 2);
    episodes.stop(); // writes the pending count
    expect(updates.n).toBe(TIMELINE_CRASHES - 1);
    const { items } = failures.list();
    expect(items).toHaveLength(1);
    const detail = failures.get(items[0]!.id)!;
    expect(detail.kind).toBe('crash_loop');
    // 'crash loop' + crashes 3..TIMELINE_CRASHES + the rolling entry.
    expect(detail.timeline.length).toBeLessThanOrEqual(TIMELINE_CRASHES + 1);
    expect(detail.timeline.map((e) => e.event)).toContain(`crash ${TIMELINE_CRASHES}`);
    expect(detail.timeline.map((e) => e.event)).not.toContain(`crash ${TIMELINE_CRASHES + 1}`);
    const last = detail.timeline.at(-1)!;
    expect(last).toMatchObject({ event: MORE_CRASHES, at: clock.t });
    expect(last.detail).toContain(`crashes ${TIMELINE_CRASHES + 1}–1000`);
  });

  it('a long loop writes its count every ROLLING_EVERY_MS, and the count comes before "recovered"', () => {
    vi.useFakeTimers();
    const failures = new FailuresRepo(db());
    const clock = { t: 1_000_000 };
    const updates = { n: 0 };
    const episodes = episodesOn(failures, clock, updates);
    const crash = (n: number) => {
      clock.t += 500;
      episodes.onProcess(info('backoff', n));
      episodes.onProcess(info('starting', n));
    };
    for (let n = 1; n <= 30; n++) crash(n);
    const id = failures.list().items[0]!.id;
    const rolled = () => failures.get(id)!.timeline.find((e) => e.event === MORE_CRASHES)?.detail;
    expect(rolled()).toBeUndefined();
    vi.advanceTimersByTime(ROLLING_EVERY_MS);
    expect(rolled()).toContain(`crashes ${TIMELINE_CRASHES + 1}–30`);
    crash(31);
    // Stable again: the pending count is written, then the episode closes.
    episodes.onProcess(info('running', 31));
    vi.advanceTimersByTime(30_000);
    const timeline = failures.get(id)!.timeline;
    expect(timeline.slice(-2).map((e) => e.event)).toEqual([MORE_CRASHES, 'recovered']);
    expect(rolled()).toContain(`crashes ${TIMELINE_CRASHES + 1}–31`);
    episodes.stop();
  });

  it('a rolling entry moves behind what others appended meanwhile (an alert delivery)', () => {
    const failures = new FailuresRepo(db());
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
