/**
 * Prometheus exposition of Sentinel's live state (GET /metrics). Every value is taken from one snapshot per
 * scrape — the same ProcessInfo/OverallStatus the `status` API returns — so metrics never disagree with status.
 *
 * Nothing of it exists until the first scrape: prom-client is imported then (≈ 4 MB of heap and its load time
 * saved by a daemon nobody scrapes), and its default metrics' event-loop monitor — a libuv timer that wakes the
 * process 100 times a second at the default 10 ms precision — starts only then, at a 100 ms precision.
 */
import type { CheckResult, Color, OverallStatus, ProcessInfo, ServiceColor } from '../../shared/contract';

export interface MetricsSnapshot {
  processes: ProcessInfo[];
  overall: OverallStatus;
  failuresTotal: number;
}

export interface MetricsOptions {
  snapshot: () => MetricsSnapshot | Promise<MetricsSnapshot>;
  /** Node metrics of the daemon itself (heap, event loop lag …), prefixed `sentinel_daemon_`. */
  daemonMetrics?: boolean;
}

export interface Metrics {
  render(): Promise<string>;
  contentType: string;
}

const COLOR_VALUE: Record<Color, number> = { green: 0, yellow: 1, red: 2 };

/** 0 green, 1 yellow, 2 red; -1 when a service is not installed on this Mac or not assessed yet. */
export function serviceStatusValue(s: ServiceColor): number {
  return s === 'green' || s === 'yellow' || s === 'red' ? COLOR_VALUE[s] : -1;
}

/** A check's identity for labels: its service (or "upstream"/"") and name. */
function checkLabels(c: CheckResult): { check: string; service: string; type: string } {
  return { check: c.name, service: c.service ?? (c.upstream ? 'upstream' : ''), type: c.type };
}

/** prom-client's Registry.PROMETHEUS_CONTENT_TYPE, spelled out so answering it does not load prom-client. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export function createMetrics(opts: MetricsOptions): Metrics {
  let built: Promise<() => Promise<string>> | undefined;
  let rendering: Promise<string> = Promise.resolve('');
  const renderOnce = async () => (await (built ??= import('prom-client').then((p) => build(p, opts))))();
  return {
    contentType: PROMETHEUS_CONTENT_TYPE,
    // Serialised: two concurrent scrapes must not interleave reset/fill of the shared gauges.
    render: () => (rendering = rendering.then(renderOnce, renderOnce)),
  };
}

/** The registry and its gauges; returns the function that fills them from a snapshot and renders them. */
function build(
  { collectDefaultMetrics, Counter, Gauge, Registry }: typeof import('prom-client'),
  { snapshot, daemonMetrics = true }: MetricsOptions,
): () => Promise<string> {
  const registry = new Registry();
  if (daemonMetrics)
    collectDefaultMetrics({ register: registry, prefix: 'sentinel_daemon_', eventLoopMonitoringPrecision: 100 });
  const reg = { registers: [registry] };
  const up = new Gauge({
    name: 'sentinel_process_up',
    help: '1 when the process is running, else 0',
    labelNames: ['process', 'group', 'state'],
    ...reg,
  });
  const restarts = new Counter({
    name: 'sentinel_process_restarts_total',
    help: 'Restarts of the process',
    labelNames: ['process'],
    ...reg,
  });
  const exitCode = new Gauge({
    name: 'sentinel_process_last_exit_code',
    help: 'Exit code of the last run (absent before the first exit)',
    labelNames: ['process'],
    ...reg,
  });
  const cpu = new Gauge({
    name: 'sentinel_process_cpu_percent',
    help: 'CPU of the whole process group (100 = one core)',
    labelNames: ['process'],
    ...reg,
  });
  const memory = new Gauge({
    name: 'sentinel_process_memory_bytes',
    help: 'Resident memory of the whole process group',
    labelNames: ['process'],
    ...reg,
  });
  const checkOk = new Gauge({
    name: 'sentinel_check_ok',
    help: '1 when the last result of the check passed',
    labelNames: ['check', 'service', 'type'],
    ...reg,
  });
  const checkLatency = new Gauge({
    name: 'sentinel_check_latency_seconds',
    help: 'Latency of the last result of the check',
    labelNames: ['check', 'service', 'type'],
    ...reg,
  });
  const status = new Gauge({ name: 'sentinel_status', help: 'Overall status: 0 green, 1 yellow, 2 red', ...reg });
  const serviceStatus = new Gauge({
    name: 'sentinel_service_status',
    help: 'Service status: 0 green, 1 yellow, 2 red, -1 not installed or unknown',
    labelNames: ['service', 'kind'],
    ...reg,
  });
  const failures = new Counter({ name: 'sentinel_failures_total', help: 'Failures recorded in the store', ...reg });

  const fill = (s: MetricsSnapshot) => {
    // Reset first: a process or check removed from the config must disappear from the exposition.
    for (const m of [up, restarts, exitCode, cpu, memory, checkOk, checkLatency, serviceStatus, failures]) m.reset();
    for (const p of s.processes) {
      up.set({ process: p.name, group: p.group ?? '', state: p.state }, p.state === 'running' ? 1 : 0);
      restarts.inc({ process: p.name }, p.restarts);
      if (p.last_exit_code !== null) exitCode.set({ process: p.name }, p.last_exit_code);
      if (p.cpu !== null) cpu.set({ process: p.name }, p.cpu);
      if (p.memory !== null) memory.set({ process: p.name }, p.memory);
    }
    const checks = [...s.overall.services.flatMap((svc) => svc.checks), ...s.overall.upstream];
    for (const c of checks) {
      checkOk.set(checkLabels(c), c.ok ? 1 : 0);
      if (c.latency_ms !== null) checkLatency.set(checkLabels(c), c.latency_ms / 1000);
    }
    status.set(COLOR_VALUE[s.overall.status]);
    for (const svc of s.overall.services)
      serviceStatus.set({ service: svc.name, kind: svc.kind }, serviceStatusValue(svc.status));
    failures.inc(s.failuresTotal);
  };

  return async () => {
    fill(await snapshot());
    return registry.metrics();
  };
}
