import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import type { CheckResult, OverallStatus } from '../../../src-main/shared/contract';
import { createMetrics, serviceStatusValue, type MetricsSnapshot } from '../../../src-main/core/metrics/prometheus';
import { parseExposition, valueOf } from './exposition';
import { processInfo } from '../../helpers/process-info';

const proc = processInfo;
const check = (c: Partial<CheckResult> & { name: string }): CheckResult => ({
  type: 'http',
  service: null,
  ok: true,
  latency_ms: 12,
  error: null,
  at: 1,
  ...c,
});

function snapshot(): MetricsSnapshot {
  const overall: OverallStatus = {
    status: 'yellow',
    reason: 'api slow',
    rule: 'slow_ms',
    at: 1,
    services: [
      {
        name: 'api',
        status: 'yellow',
        reason: 'slow',
        rule: 'r',
        since: 1,
        installed: true,
        recovering: false,
        kind: 'process',
        checks: [check({ name: 'api-http', service: 'api', latency_ms: 250 })],
      },
      {
        name: 'netbird',
        status: 'not-installed',
        reason: '',
        rule: '',
        since: 1,
        installed: false,
        recovering: false,
        kind: 'service',
        checks: [check({ name: 'nb "mgmt"', service: 'netbird', type: 'netbird', ok: false, latency_ms: null })],
      },
    ],
    upstream: [check({ name: 'internet', type: 'internet', upstream: true, latency_ms: 20 })],
  };
  return {
    overall,
    failuresTotal: 7,
    processes: [
      proc({ name: 'api', group: 'web', restarts: 3, last_exit_code: 1, cpu: 12.5, memory: 123_456_789 }),
      proc({ name: 'job', state: 'exited', pid: null, last_exit_code: 0 }),
    ],
  };
}

describe('createMetrics', () => {
  it('renders valid exposition whose values equal the snapshot', async () => {
    const m = createMetrics({ snapshot, daemonMetrics: true });
    const e = parseExposition(await m.render());
    expect(valueOf(e, 'sentinel_process_up', { process: 'api', group: 'web', state: 'running' })).toBe(1);
    expect(valueOf(e, 'sentinel_process_up', { process: 'job', state: 'exited' })).toBe(0);
    expect(valueOf(e, 'sentinel_process_restarts_total', { process: 'api' })).toBe(3);
    expect(valueOf(e, 'sentinel_process_restarts_total', { process: 'job' })).toBe(0);
    expect(valueOf(e, 'sentinel_process_last_exit_code', { process: 'api' })).toBe(1);
    expect(valueOf(e, 'sentinel_process_cpu_percent', { process: 'api' })).toBe(12.5);
    expect(valueOf(e, 'sentinel_process_memory_bytes', { process: 'api' })).toBe(123_456_789);
    expect(() => valueOf(e, 'sentinel_process_memory_bytes', { process: 'job' })).toThrow(/0 samples/); // unknown, not 0
    expect(valueOf(e, 'sentinel_check_ok', { check: 'api-http', service: 'api' })).toBe(1);
    expect(valueOf(e, 'sentinel_check_latency_seconds', { check: 'api-http' })).toBe(0.25);
    expect(valueOf(e, 'sentinel_check_ok', { check: 'nb "mgmt"', service: 'netbird' })).toBe(0); // escaped label round trip
    expect(valueOf(e, 'sentinel_check_ok', { check: 'internet', service: 'upstream' })).toBe(1);
    expect(valueOf(e, 'sentinel_status')).toBe(1);
    expect(valueOf(e, 'sentinel_service_status', { service: 'api', kind: 'process' })).toBe(1);
    expect(valueOf(e, 'sentinel_service_status', { service: 'netbird' })).toBe(-1);
    expect(valueOf(e, 'sentinel_failures_total')).toBe(7);
    expect(e.types.get('sentinel_process_restarts_total')).toBe('counter');
    expect(e.types.get('sentinel_status')).toBe('gauge');
    expect([...e.types.keys()].filter((n) => !n.startsWith('sentinel_'))).toEqual([]);
    expect([...e.types.keys()].some((n) => n.startsWith('sentinel_daemon_'))).toBe(true);
  });

  it('follows the snapshot: removed processes disappear, values change', async () => {
    let snap = snapshot();
    const m = createMetrics({ snapshot: () => snap, daemonMetrics: false });
    await m.render();
    snap = {
      ...snap,
      processes: [proc({ name: 'api', restarts: 4 })],
      overall: { ...snap.overall, status: 'red' },
      failuresTotal: 8,
    };
    const [a, b] = await Promise.all([m.render(), m.render()]);
    expect(a).toBe(b);
    const e = parseExposition(b);
    expect(e.samples.filter((s) => s.labels.process === 'job')).toEqual([]);
    expect(valueOf(e, 'sentinel_process_restarts_total', { process: 'api' })).toBe(4);
    expect(valueOf(e, 'sentinel_status')).toBe(2);
    expect(valueOf(e, 'sentinel_failures_total')).toBe(8);
  });

  it('the parser is strict', () => {
    expect(() => parseExposition('sentinel_x{a="1} 1')).toThrow(/line 1/);
    expect(() => parseExposition('what is this')).toThrow(/not a sample/);
    expect(parseExposition('# TYPE a gauge\na{b="c"} 2').samples).toEqual([
      { name: 'a', labels: { b: 'c' }, value: 2 },
    ]);
    expect(new Registry().contentType).toContain('text/plain');
  });

  it.each([
    ['green', 0],
    ['yellow', 1],
    ['red', 2],
    ['not-installed', -1],
    ['unknown', -1],
  ] as const)('service status %s → %d', (s, v) => expect(serviceStatusValue(s)).toBe(v));
});
