/**
 * PURE: turns the latest check results of every service into a colour with a one-line reason and the rule that
 * set it. Hysteresis keeps the icon from flapping: a service goes red only after `fail_rounds` failed rounds in a
 * row and back to green only after `pass_rounds` good ones. Failures while the upstream (internet, DNS) is down or
 * during the grace after a wake are "held": yellow, never red, and they do not count towards red.
 */
import type {
  CheckResult,
  Color,
  OverallStatus,
  ProcessState,
  ServiceColor,
  ServiceStatus,
} from '../../shared/contract';
import { stateColor, UP_STATES } from '../../shared/states';
import type { AssessRules } from '../config/schema';

export interface ServiceInput {
  name: string;
  kind: 'service' | 'process';
  installed: boolean;
  /** Latest result of each of the service's checks. */
  checks: CheckResult[];
  /** Supervised processes: their supervisor state. */
  processState?: ProcessState;
  /** True when a new round completed (every check reported since the last one); counters move only then. */
  newRound: boolean;
  /** Recovery is restarting it right now. */
  recovering: boolean;
  rules: AssessRules;
}

/** What the assessor remembers of a service between calls. */
export interface ServiceMemory {
  status: ServiceColor;
  failRounds: number;
  passRounds: number;
  since: number;
  /** The last round was held by the upstream being down or by wake grace. */
  held: boolean;
}

/**
 * How a round looked: down = process gone; hung = process alive but every target fails; unreachable = every target
 * fails (no process known); degraded = some checks fail. Only down, hung and unreachable can make a service red.
 */
export type Verdict = 'ok' | 'slow' | 'degraded' | 'down' | 'hung' | 'unreachable' | 'not-installed' | 'unknown';

export interface AssessInput {
  at: number;
  services: ServiceInput[];
  previous: ReadonlyMap<string, ServiceMemory>;
  upstream: CheckResult[];
  /** Wake grace (after sleep) is active. */
  graceActive: boolean;
}

export interface ServiceAssessment {
  status: ServiceStatus;
  memory: ServiceMemory;
  verdict: Verdict;
  /** Failing while upstream is down: a failure to record, but not to restart. */
  heldByUpstream: boolean;
}

export interface AssessOutput {
  overall: OverallStatus;
  services: Map<string, ServiceAssessment>;
}

const RANK: Record<ServiceColor, number> = { 'not-installed': -1, unknown: -1, green: 0, yellow: 1, red: 2 };
const BAD: ReadonlySet<Verdict> = new Set(['down', 'hung', 'unreachable']);

export function isBad(v: Verdict): boolean {
  return BAD.has(v);
}

export function assess(input: AssessInput): AssessOutput {
  const failingUpstream = input.upstream.filter((c) => !c.ok);
  const upstreamDown =
    failingUpstream.length > 0 ? `upstream down: ${failingUpstream.map((c) => c.name).join(', ')} unreachable` : null;
  const services = new Map<string, ServiceAssessment>();
  for (const s of input.services) {
    services.set(
      s.name,
      assessService(s, input.previous.get(s.name), { at: input.at, upstreamDown, graceActive: input.graceActive }),
    );
  }
  return {
    overall: overallOf(
      [...services.values()].map((a) => a.status),
      upstreamDown,
      failingUpstream,
      input,
    ),
    services,
  };
}

interface Env {
  at: number;
  upstreamDown: string | null;
  graceActive: boolean;
}

export function assessService(s: ServiceInput, prev: ServiceMemory | undefined, env: Env): ServiceAssessment {
  const build = (
    status: ServiceColor,
    reason: string,
    rule: string,
    verdict: Verdict,
    memory: Omit<ServiceMemory, 'status' | 'since'>,
    heldByUpstream = false,
  ): ServiceAssessment => ({
    // Keys in the contract's order (ServiceStatus): the quick CLI prints the snapshot as the daemon sends it.
    status: {
      name: s.name,
      status,
      reason,
      rule,
      since: prev && prev.status === status ? prev.since : env.at,
      installed: verdict !== 'not-installed',
      recovering: s.recovering || rule.startsWith('pass_rounds'),
      checks: s.checks,
      kind: s.kind,
    },
    memory: { ...memory, status, since: prev && prev.status === status ? prev.since : env.at },
    verdict,
    heldByUpstream,
  });
  const fresh = { failRounds: 0, passRounds: 0, held: false };

  const reportsMissing = s.checks.some(
    (c) => c.type === 'netbird' && (c.data as { installed?: unknown } | undefined)?.installed === false,
  );
  if (!s.installed || reportsMissing)
    return build(
      'not-installed',
      `${s.name}: not installed`,
      'installed_if: not found on this machine',
      'not-installed',
      fresh,
    );

  // Stopped on purpose (by a person, or never started: autostart off): its checks fail because it is not
  // running, which is what was asked for, so they do not paint it red.
  if (s.checks.length === 0 || s.processState === 'stopped') {
    if (s.processState === undefined)
      return build('unknown', `${s.name}: waiting for the first check`, 'no results yet', 'unknown', fresh);
    const [status, verdict] = colorOfState(s.processState);
    return build(status, `${s.name}: ${s.processState}`, `process state: ${s.processState}`, verdict, fresh);
  }

  const verdict = verdictOf(s);
  const failing = s.checks.filter((c) => !c.ok);
  const bad = isBad(verdict);
  const heldBy = bad ? (env.upstreamDown ?? (env.graceActive ? 'wake grace' : null)) : null;
  const last = prev ?? { status: 'unknown' as ServiceColor, failRounds: 0, passRounds: 0, since: env.at, held: false };

  let { failRounds, passRounds } = last;
  if (s.newRound) {
    if (bad) {
      // Rounds that failed while held prove nothing about the service: count afresh once the hold ends.
      failRounds = (last.held && heldBy === null ? 0 : failRounds) + 1;
      passRounds = 0;
    } else if (verdict === 'degraded') {
      failRounds = 0;
      passRounds = 0;
    } else {
      failRounds = 0;
      passRounds += 1;
    }
  }
  const memory = { failRounds, passRounds, held: heldBy !== null };
  const problem = describeProblem(s, verdict, failing);

  if (bad) {
    if (env.upstreamDown !== null)
      return build(
        'yellow',
        `${s.name}: ${env.upstreamDown}`,
        `upstream: ${env.upstreamDown.replace(/^upstream down: /, '')}`,
        verdict,
        memory,
        true,
      );
    if (env.graceActive)
      return build(
        'yellow',
        `${problem} (wake grace)`,
        'wake_grace: failures after a wake are not counted yet',
        verdict,
        memory,
      );
    if (failRounds >= s.rules.fail_rounds || (last.status === 'red' && !s.newRound)) {
      return build(
        'red',
        problem,
        `fail_rounds: ${Math.max(failRounds, s.rules.fail_rounds)} failed rounds in a row`,
        verdict,
        memory,
      );
    }
    return build(
      'yellow',
      problem,
      `fail_rounds: ${failRounds} of ${s.rules.fail_rounds} failed rounds`,
      verdict,
      memory,
    );
  }
  if (verdict === 'degraded')
    return build(
      'yellow',
      problem,
      `degraded: ${failing.length} of ${s.checks.length} checks failing`,
      verdict,
      memory,
    );

  if ((last.status === 'red' || last.status === 'yellow') && passRounds < s.rules.pass_rounds) {
    return build(
      'yellow',
      `${s.name}: recovering, checks pass again`,
      `pass_rounds: ${passRounds} of ${s.rules.pass_rounds} good rounds`,
      verdict,
      memory,
    );
  }
  if (verdict === 'slow') {
    const slow = slowChecks(s)
      .map((c) => `${c.name} ${Math.round(c.latency_ms!)}ms`)
      .join(', ');
    return build('yellow', `${s.name}: slow: ${slow}`, `slow_ms: latency over ${s.rules.slow_ms}ms`, verdict, memory);
  }
  return build('green', describeHealthy(s), 'all checks pass', verdict, memory);
}

/** The colour of a state is shared with the windows (shared/states.ts); the verdict follows from the colour. */
function colorOfState(state: ProcessState): [ServiceColor, Verdict] {
  const color = stateColor(state);
  return [color, VERDICT_OF_COLOR[color]];
}

const VERDICT_OF_COLOR = { green: 'ok', yellow: 'degraded', red: 'down' } as const satisfies Record<Color, Verdict>;

function processAlive(s: ServiceInput): boolean | null {
  const processChecks = s.checks.filter((c) => c.type === 'process');
  if (processChecks.length > 0) return processChecks.every((c) => c.ok);
  // A starting process has a live child (it is only not yet past start_secs): not "down".
  if (s.processState !== undefined) return UP_STATES.has(s.processState);
  return null;
}

function slowChecks(s: ServiceInput): CheckResult[] {
  const limit = s.rules.slow_ms;
  if (limit === undefined) return [];
  return s.checks.filter((c) => c.ok && c.latency_ms !== null && c.latency_ms > limit);
}

export function verdictOf(s: ServiceInput): Verdict {
  const failing = s.checks.filter((c) => !c.ok);
  const alive = processAlive(s);
  if (alive === false) return 'down';
  if (failing.length === 0) return slowChecks(s).length > 0 ? 'slow' : 'ok';
  const targets = s.checks.filter((c) => c.type !== 'process');
  if (targets.length > 0 && targets.every((c) => !c.ok)) return alive === true ? 'hung' : 'unreachable';
  return 'degraded';
}

function describeProblem(s: ServiceInput, verdict: Verdict, failing: CheckResult[]): string {
  const errors = failing
    .filter((c) => c.type !== 'process')
    .map((c) => c.error ?? `${c.name} failed`)
    .join('; ');
  switch (verdict) {
    case 'down': {
      const proc = failing.find((c) => c.type === 'process');
      return `${s.name}: process not running${proc?.error ? ` (${proc.error})` : ''}`;
    }
    case 'hung':
      return `${s.name}: process up, ${errors}`;
    case 'degraded':
      return `${s.name}: ${failing.length}/${s.checks.length} checks failing: ${errors}`;
    default:
      return `${s.name}: ${errors}`;
  }
}

function describeHealthy(s: ServiceInput): string {
  const n = s.checks.length;
  const alive = processAlive(s) === true ? 'process up, ' : '';
  return `${s.name}: ${alive}${n} check${n === 1 ? '' : 's'} passing`;
}

function overallOf(
  statuses: ServiceStatus[],
  upstreamDown: string | null,
  upstream: CheckResult[],
  input: AssessInput,
): OverallStatus {
  // After status, reason and rule, as in the contract's OverallStatus (the quick CLI prints the daemon's order).
  const base = { at: input.at, services: statuses, upstream: input.upstream };
  const ranked = statuses.filter((s) => RANK[s.status] >= 0);
  const worstRank = Math.max(0, ...ranked.map((s) => RANK[s.status]));
  const worst = ranked.filter((s) => RANK[s.status] === worstRank && worstRank > 0);
  if (worstRank === 2 || (worstRank === 1 && upstreamDown === null)) {
    const color = worstRank === 2 ? 'red' : 'yellow';
    const reason =
      worst.length === 1
        ? worst[0]!.reason
        : `${worst.length} services ${color}: ${worst.map((s) => s.name).join(', ')}`;
    return { status: color, reason, rule: worst[0]!.rule, ...base };
  }
  if (upstreamDown !== null)
    return {
      status: 'yellow',
      reason: upstreamDown,
      rule: `upstream: ${upstream.map((c) => c.name).join(', ')} failing`,
      ...base,
    };
  const n = ranked.length;
  const waiting = statuses.some((s) => s.status === 'unknown');
  const reason =
    n > 0
      ? `all ${n} service${n === 1 ? '' : 's'} healthy`
      : waiting
        ? 'waiting for the first checks'
        : 'nothing to watch';
  return { status: 'green', reason, rule: 'all services green', ...base };
}
