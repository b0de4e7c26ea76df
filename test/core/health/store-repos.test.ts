import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../../src-main/shared/contract';
import { FailuresRepo, type NewFailure } from '../../../src-main/core/store/failures-repo';
import { HealthRepo } from '../../../src-main/core/store/health-repo';
import { useTempDb } from '../../helpers/temp-db';

const db = useTempDb();

const result = (name: string, at: number, ok = true): CheckResult => ({
  name,
  type: 'http',
  service: 'web',
  ok,
  latency_ms: 3.5,
  error: ok ? null : 'HTTP 503',
  data: { status: ok ? 200 : 503 },
  at,
  upstream: false,
});
const failure = (service: string, started_at: number): NewFailure => ({
  service,
  kind: 'down',
  started_at,
  detected_by: `${service}:http`,
  reason: `${service}: process not running`,
  checks: [result(`${service}:http`, started_at, false)],
  upstream_down: false,
  timeline: [{ at: started_at, event: 'detected' }],
});

describe('HealthRepo', () => {
  it('stores a batch, reads it back with type and data, and prunes by age', () => {
    const repo = new HealthRepo(db());
    repo.insert([
      result('a', 1000),
      result('a', 2000, false),
      result('b', 3000),
      { ...result('up', 3500), type: 'internet', service: null, upstream: true, data: undefined },
    ]);
    expect(repo.count()).toBe(4);
    expect(repo.recent({ check: 'a' })).toEqual([
      {
        name: 'a',
        type: 'http',
        service: 'web',
        ok: false,
        latency_ms: 3.5,
        error: 'HTTP 503',
        at: 2000,
        data: { status: 503 },
      },
      {
        name: 'a',
        type: 'http',
        service: 'web',
        ok: true,
        latency_ms: 3.5,
        error: null,
        at: 1000,
        data: { status: 200 },
      },
    ]);
    expect(repo.recent({ check: 'up' })[0]).toMatchObject({ type: 'internet', upstream: true, service: null });
    expect(repo.prune(2500)).toBe(2);
    expect(repo.recent().map((r) => r.name)).toEqual(['up', 'b']);
  });
});

describe('FailuresRepo', () => {
  it('inserts, updates (timeline appended) and returns parsed detail', () => {
    const repo = new FailuresRepo(db());
    const s = repo.insert(failure('web', 1000));
    expect(s).toMatchObject({
      service: 'web',
      restart_attempted: false,
      restart_successful: null,
      recovered_at: null,
      upstream_down: false,
    });
    repo.update(s.id, { diagnostics: { dns: { ok: true } }, append: [{ at: 1100, event: 'diagnostics collected' }] });
    const after = repo.update(s.id, {
      restart_attempted: true,
      restart_successful: true,
      recovered_at: 1500,
      time_to_recover_ms: 500,
      outcome: 'recovered after restart',
      append: [{ at: 1500, event: 'recovered', detail: 'ok' }],
    });
    expect(after).toMatchObject({
      restart_attempted: true,
      restart_successful: true,
      time_to_recover_ms: 500,
      outcome: 'recovered after restart',
    });
    const d = repo.get(s.id)!;
    expect(d.diagnostics).toEqual({ dns: { ok: true } });
    expect(d.checks[0]).toMatchObject({ name: 'web:http', ok: false });
    expect(d.timeline.map((t) => t.event)).toEqual(['detected', 'diagnostics collected', 'recovered']);
    expect(repo.get(999)).toBeUndefined();
    expect(() => repo.update(999, { outcome: 'x' })).toThrow('failure 999 does not exist');
  });

  it('lists newest first with filters, pagination and the total', () => {
    const repo = new FailuresRepo(db());
    for (let i = 1; i <= 7; i++) repo.insert(failure(i % 2 ? 'web' : 'vpn', i * 1000));
    const page = repo.list({ limit: 3, offset: 0 });
    expect(page.total).toBe(7);
    expect(page.items.map((f) => f.started_at)).toEqual([7000, 6000, 5000]);
    expect(repo.list({ limit: 3, offset: 6 }).items.map((f) => f.started_at)).toEqual([1000]);
    expect(repo.list({ service: 'vpn' })).toMatchObject({ total: 3 });
    const range = repo.list({ since: 2000, until: 5000 });
    expect(range.items.map((f) => f.started_at)).toEqual([4000, 3000, 2000]);
    expect(repo.open('web').map((f) => f.started_at)).toEqual([7000, 5000, 3000, 1000]);
    expect(repo.prune(3000)).toBe(2);
    expect(repo.list().total).toBe(5);
  });

  it('a corrupt JSON column does not make the failure unreadable', () => {
    const repo = new FailuresRepo(db());
    const s = repo.insert(failure('web', 1));
    db().prepare('UPDATE failures SET diagnostics_json = ? WHERE id = ?').run('{broken', s.id);
    expect(repo.get(s.id)!.diagnostics).toEqual({});
  });
});
