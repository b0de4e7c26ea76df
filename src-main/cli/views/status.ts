/**
 * `sentinel status` and `sentinel check` as text: the overall colour with the rule that set it, one row per
 * process (state, health, pid, CPU, memory, uptime, restarts, what happens next) and the services.
 */
import { formatDuration } from '../../core/util/duration';
import type {
  CheckResult,
  OverallStatus,
  ProcessInfo,
  ProcessState,
  ServiceStatus,
  Snapshot,
} from '../../shared/contract';
import { cpuText, localTime, memoryText, table, withoutName, type Cell } from '../format';
import { stateColor, UP_STATES } from '../../shared/states';
import { paintHealth, plain, type Colors } from '../style';

export interface ViewOptions {
  c?: Colors;
  width?: number;
}

/** "overall: yellow — web is backing off" and, below, the assessor rule that chose the colour. */
export function overallLines(o: OverallStatus, c: Colors = plain): string[] {
  return [`overall: ${paintHealth(c, o.status)} — ${o.reason}`, c.dim(`  rule: ${o.rule}`)];
}

export function statusView(s: Snapshot, now: number, { c = plain, width }: ViewOptions = {}): string {
  const out = overallLines(s.overall, c);
  if (s.dry_run) out.push(c.yellow('  dry run: recovery only says what it would do'));
  out.push('', processTable(s.processes, s.overall.services, now, { c, width }));
  const services = s.overall.services.filter((svc) => svc.kind === 'service');
  if (services.length > 0) out.push('', servicesTable(services, { c, width }));
  if (s.overall.upstream.length > 0) out.push('', upstreamLine(s.overall.upstream, c));
  return out.join('\n');
}

/**
 * A state in the colour the shared groups give it; stopped and exited (green there: not failures) are dimmed
 * here, so the processes that run stand out.
 */
function paintState(c: Colors, state: ProcessState): (text: string) => string {
  const color = stateColor(state);
  if (color === 'green' && !UP_STATES.has(state)) return (t) => c.dim(t);
  return (t) => paintHealth(c, color, t);
}

export function processTable(
  processes: readonly ProcessInfo[],
  services: readonly ServiceStatus[],
  now: number,
  { c = plain, width }: ViewOptions = {},
): string {
  if (processes.length === 0) return 'no processes configured';
  const health = new Map(services.filter((s) => s.kind === 'process').map((s) => [s.name, s.status]));
  const rows = processes.map((p): Cell[] => {
    const h = health.get(p.name);
    const up = p.state === 'running' && p.uptime_ms !== null;
    return [
      p.name,
      { text: p.state, paint: paintState(c, p.state) },
      h === undefined ? '-' : { text: h, paint: (t) => paintHealth(c, h, t) },
      p.pid === null ? '-' : String(p.pid),
      up ? cpuText(p.cpu) : '-',
      up ? memoryText(p.memory) : '-',
      up ? formatDuration(p.uptime_ms!) : '-',
      String(p.restarts),
      { text: note(p, now), paint: c.dim },
    ];
  });
  return table(
    [
      { header: 'NAME', max: 24 },
      { header: 'STATE', fixed: true },
      { header: 'HEALTH', fixed: true },
      { header: 'PID', align: 'right', fixed: true },
      { header: 'CPU', align: 'right', fixed: true },
      { header: 'MEMORY', align: 'right', fixed: true },
      { header: 'UPTIME', align: 'right', fixed: true },
      { header: 'RESTARTS', align: 'right', fixed: true },
      { header: '' },
    ],
    rows,
    { c, width },
  );
}

/** What a person wants to know next to the state: when the next try is, why it stopped, when it runs next. */
export function note(p: ProcessInfo, now: number): string {
  if (p.state === 'backoff' && p.next_attempt_at !== null)
    return `next attempt in ${Math.max(0, Math.ceil((p.next_attempt_at - now) / 1000))} s`;
  if ((p.state === 'fatal' || p.state === 'exited') && p.reason) return p.reason;
  if (p.state !== 'running' && p.schedule?.enabled && p.schedule.next_run !== null)
    return `next run ${localTime(p.schedule.next_run, now)}`;
  return '';
}

export function servicesTable(services: readonly ServiceStatus[], { c = plain, width }: ViewOptions = {}): string {
  return table(
    [{ header: 'SERVICE', max: 24 }, { header: 'HEALTH', fixed: true }, { header: 'WHY' }],
    services.map((s) => [
      s.name,
      { text: s.status, paint: (t: string) => paintHealth(c, s.status, t) },
      withoutName(s.reason, s.name),
    ]),
    { c, width },
  );
}

/** The shared checks (internet, DNS) that tell "everyone is offline" from "this service is down". */
export function upstreamLine(checks: readonly CheckResult[], c: Colors = plain): string {
  const parts = checks.map((u) =>
    u.ok
      ? `${u.name} ${c.green('ok')}${u.latency_ms === null ? '' : ` ${Math.round(u.latency_ms)} ms`}`
      : `${u.name} ${c.red('failing')}${u.error ? ` (${u.error})` : ''}`,
  );
  return `upstream: ${parts.join(', ')}`;
}
