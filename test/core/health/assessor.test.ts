import { describe, expect, it } from 'vitest';
import type { CheckResult, ProcessState, ServiceColor } from '../../../src-main/shared/contract';
import { STATE_COLORS } from '../../../src-main/shared/states';
import {
  assess,
  assessService,
  verdictOf,
  type ServiceInput,
  type ServiceMemory,
  type Verdict,
} from '../../../src-main/core/health/assessor';

const AT = 1_000_000;
const rules = { fail_rounds: 2, pass_rounds: 2 };

function check(name: string, ok: boolean, extra: Partial<CheckResult> = {}): CheckResult {
  return {
    name,
    type: name.split(':')[1] ?? 'http',
    service: 'svc',
    ok,
    latency_ms: 5,
    error: ok ? null : `${name} failed`,
    at: AT,
    ...extra,
  };
}
const proc = (ok: boolean) =>
  check('svc:process', ok, { type: 'process', error: ok ? null : 'no process matches "svc"' });
const http = (ok: boolean, latency = 5) =>
  check('svc:http', ok, { type: 'http', latency_ms: latency, error: ok ? null : 'ECONNREFUSED' });
const tcp = (ok: boolean) => check('svc:tcp', ok, { type: 'tcp', error: ok ? null : 'timed out after 100 ms' });
const mem = (status: ServiceColor, failRounds = 0, passRounds = 0, held = false): ServiceMemory => ({
  status,
  failRounds,
  passRounds,
  since: AT - 5000,
  held,
});

function svc(checks: CheckResult[], extra: Partial<ServiceInput> = {}): ServiceInput {
  return { name: 'svc', kind: 'service', installed: true, checks, newRound: true, recovering: false, rules, ...extra };
}

interface Row {
  what: string;
  input: ServiceInput;
  prev?: ServiceMemory;
  upstreamDown?: string;
  grace?: boolean;
  status: ServiceColor;
  verdict: Verdict;
  rule: RegExp;
  reason?: RegExp;
  failRounds?: number;
}

const rows: Row[] = [
  {
    what: 'first good round is green',
    input: svc([proc(true), http(true)]),
    status: 'green',
    verdict: 'ok',
    rule: /all checks pass/,
    reason: /svc: process up, 2 checks passing/,
  },
  {
    what: 'first failed round is only yellow',
    input: svc([proc(true), http(false)]),
    status: 'yellow',
    verdict: 'hung',
    rule: /fail_rounds: 1 of 2/,
    failRounds: 1,
  },
  {
    what: 'second failed round goes red',
    input: svc([proc(true), http(false)]),
    prev: mem('yellow', 1),
    status: 'red',
    verdict: 'hung',
    rule: /fail_rounds: 2 failed rounds in a row/,
    reason: /svc: process up, ECONNREFUSED/,
  },
  {
    what: 'process gone is down',
    input: svc([proc(false), http(false)]),
    prev: mem('yellow', 1),
    status: 'red',
    verdict: 'down',
    rule: /fail_rounds: 2/,
    reason: /process not running/,
  },
  {
    what: 'no process check, all targets fail: unreachable',
    input: svc([http(false), tcp(false)]),
    prev: mem('yellow', 1),
    status: 'red',
    verdict: 'unreachable',
    rule: /fail_rounds/,
  },
  {
    what: 'some targets fail: degraded, never red',
    input: svc([http(false), tcp(true)]),
    prev: mem('yellow', 5),
    status: 'yellow',
    verdict: 'degraded',
    rule: /degraded: 1 of 2 checks failing/,
    failRounds: 0,
  },
  {
    what: 'red stays red without a new round',
    input: svc([http(false)], { newRound: false }),
    prev: mem('red', 3),
    status: 'red',
    verdict: 'unreachable',
    rule: /fail_rounds/,
    failRounds: 3,
  },
  {
    what: 'counters do not move without a new round',
    input: svc([http(false)], { newRound: false }),
    prev: mem('green', 0),
    status: 'yellow',
    verdict: 'unreachable',
    rule: /0 of 2/,
    failRounds: 0,
  },
  {
    what: 'one good round after red is yellow (recovering)',
    input: svc([http(true)]),
    prev: mem('red', 4),
    status: 'yellow',
    verdict: 'ok',
    rule: /pass_rounds: 1 of 2 good rounds/,
    reason: /recovering/,
  },
  {
    what: 'second good round is green again',
    input: svc([http(true)]),
    prev: mem('yellow', 0, 1),
    status: 'green',
    verdict: 'ok',
    rule: /all checks pass/,
  },
  {
    what: 'a blip between good rounds does not go red',
    input: svc([http(false)]),
    prev: mem('yellow', 0, 1),
    status: 'yellow',
    verdict: 'unreachable',
    rule: /1 of 2/,
  },
  {
    what: 'upstream down: failing service is yellow, not red',
    input: svc([proc(true), http(false)]),
    prev: mem('yellow', 5),
    upstreamDown: 'upstream down: internet unreachable',
    status: 'yellow',
    verdict: 'hung',
    rule: /upstream: internet unreachable/,
    reason: /svc: upstream down: internet unreachable/,
  },
  {
    what: 'after upstream returns, held rounds do not count',
    input: svc([http(false)]),
    prev: mem('yellow', 7, 0, true),
    status: 'yellow',
    verdict: 'unreachable',
    rule: /1 of 2/,
    failRounds: 1,
  },
  {
    what: 'upstream down does not affect a healthy service',
    input: svc([http(true)]),
    upstreamDown: 'upstream down: internet unreachable',
    status: 'green',
    verdict: 'ok',
    rule: /all checks pass/,
  },
  {
    what: 'wake grace holds failures yellow',
    input: svc([http(false)]),
    prev: mem('yellow', 1),
    grace: true,
    status: 'yellow',
    verdict: 'unreachable',
    rule: /wake_grace/,
    reason: /\(wake grace\)/,
  },
  {
    what: 'not installed is never red',
    input: svc([http(false)], { installed: false }),
    prev: mem('red', 9),
    status: 'not-installed',
    verdict: 'not-installed',
    rule: /installed_if/,
  },
  {
    what: 'netbird check reporting installed:false is not installed',
    input: svc([check('svc:netbird', true, { type: 'netbird', data: { installed: false } })]),
    status: 'not-installed',
    verdict: 'not-installed',
    rule: /installed_if/,
  },
  {
    what: 'slow passing check is yellow',
    input: svc([http(true, 900)], { rules: { ...rules, slow_ms: 500 } }),
    status: 'yellow',
    verdict: 'slow',
    rule: /slow_ms: latency over 500ms/,
    reason: /svc:http 900ms/,
  },
  {
    what: 'fast enough is green',
    input: svc([http(true, 100)], { rules: { ...rules, slow_ms: 500 } }),
    status: 'green',
    verdict: 'ok',
    rule: /all checks pass/,
  },
  { what: 'no results yet: unknown', input: svc([]), status: 'unknown', verdict: 'unknown', rule: /no results yet/ },
  {
    what: 'fail_rounds 1 goes red at once',
    input: svc([http(false)], { rules: { fail_rounds: 1, pass_rounds: 1 } }),
    status: 'red',
    verdict: 'unreachable',
    rule: /fail_rounds: 1 failed rounds/,
  },
  {
    what: 'supervised process failing checks while running is hung',
    input: svc([http(false)], { kind: 'process', processState: 'running' }),
    prev: mem('yellow', 1),
    status: 'red',
    verdict: 'hung',
    rule: /fail_rounds/,
    reason: /process up/,
  },
  {
    what: 'supervised process stopped on purpose: its failing checks do not paint it red',
    input: svc([proc(false), http(false)], { kind: 'process', processState: 'stopped' }),
    prev: mem('red', 3),
    status: 'green',
    verdict: 'ok',
    rule: /process state: stopped/,
  },
  {
    what: 'supervised process in backoff with checks is down',
    input: svc([http(false)], { kind: 'process', processState: 'backoff' }),
    prev: mem('yellow', 1),
    status: 'red',
    verdict: 'down',
    rule: /fail_rounds/,
  },
];

// The assessor colours a process without checks by the one table in shared/states.ts (tested there row by row).
const stateRows = Object.entries(STATE_COLORS) as [ProcessState, ServiceColor][];

describe('assessService', () => {
  it.each(rows)('$what', (row) => {
    const a = assessService(row.input, row.prev, {
      at: AT,
      upstreamDown: row.upstreamDown ?? null,
      graceActive: row.grace ?? false,
    });
    expect(a.status.status).toBe(row.status);
    expect(a.verdict).toBe(row.verdict);
    expect(a.status.rule).toMatch(row.rule);
    if (row.reason) expect(a.status.reason).toMatch(row.reason);
    if (row.failRounds !== undefined) expect(a.memory.failRounds).toBe(row.failRounds);
    expect(a.status.installed).toBe(row.status !== 'not-installed');
  });

  it.each(stateRows)('a process without checks in state %s is %s', (state, color) => {
    const a = assessService(svc([], { kind: 'process', processState: state }), undefined, {
      at: AT,
      upstreamDown: null,
      graceActive: false,
    });
    expect(a.status.status).toBe(color);
    expect(a.status.rule).toBe(`process state: ${state}`);
  });

  it('keeps `since` while the colour holds and resets it on a change', () => {
    const env = { at: AT, upstreamDown: null, graceActive: false };
    expect(assessService(svc([http(true)]), mem('green'), env).status.since).toBe(AT - 5000);
    expect(assessService(svc([http(false)]), mem('green'), env).status.since).toBe(AT);
  });

  it('the netbird example reads as a person would say it', () => {
    const nb = check('netbird:netbird', false, { type: 'netbird', error: '0/3 peers reachable (need 50%)' });
    const a = assessService(
      { ...svc([check('netbird:process', true, { type: 'process' }), nb]), name: 'netbird' },
      mem('yellow', 1),
      { at: AT, upstreamDown: null, graceActive: false },
    );
    expect(a.status.reason).toBe('netbird: process up, 0/3 peers reachable (need 50%)');
    expect(a.status.rule).toBe('fail_rounds: 2 failed rounds in a row');
  });
});

describe('verdictOf', () => {
  it.each<[string, CheckResult[], Verdict]>([
    ['all pass', [proc(true), http(true)], 'ok'],
    ['process fails', [proc(false), http(true)], 'down'],
    ['alive, target fails', [proc(true), http(false)], 'hung'],
    ['alive, one of two targets fails', [proc(true), http(false), tcp(true)], 'degraded'],
    ['no process, all fail', [http(false)], 'unreachable'],
  ])('%s', (_what, checks, verdict) => expect(verdictOf(svc(checks))).toBe(verdict));
});

describe('assess (overall)', () => {
  const upstreamFail = check('internet', false, {
    type: 'internet',
    service: null,
    upstream: true,
    error: 'no target answered',
  });
  const run = (services: ServiceInput[], previous: [string, ServiceMemory][] = [], upstream: CheckResult[] = []) =>
    assess({ at: AT, services, previous: new Map(previous), upstream, graceActive: false }).overall;

  it('is green when every service is green', () => {
    const o = run([svc([http(true)]), { ...svc([tcp(true)]), name: 'b' }]);
    expect(o).toMatchObject({ status: 'green', reason: 'all 2 services healthy' });
  });
  it('is the worst service: one red wins over yellow', () => {
    const o = run([svc([http(false)]), { ...svc([tcp(false)]), name: 'b' }], [['svc', mem('red', 3)]]);
    expect(o.status).toBe('red');
    expect(o.reason).toBe('svc: ECONNREFUSED');
    expect(o.rule).toMatch(/fail_rounds/);
  });
  it('names several services of the worst colour', () => {
    const o = run(
      [svc([http(false)]), { ...svc([http(false)]), name: 'b' }],
      [
        ['svc', mem('red', 3)],
        ['b', mem('red', 3)],
      ],
    );
    expect(o.reason).toBe('2 services red: svc, b');
  });
  it('upstream down is yellow with the upstream reason, never red', () => {
    const o = run(
      [{ ...svc([proc(true), http(false)]), name: 'netbird' }],
      [['netbird', mem('red', 5)]],
      [upstreamFail],
    );
    expect(o.status).toBe('yellow');
    expect(o.services[0]!.reason).toBe('netbird: upstream down: internet unreachable');
  });
  it('upstream down alone makes the overall yellow', () => {
    const o = run([svc([http(true)])], [], [upstreamFail]);
    expect(o).toMatchObject({ status: 'yellow', reason: 'upstream down: internet unreachable' });
  });
  it('not-installed and unknown services do not colour the icon', () => {
    const o = run([svc([http(false)], { installed: false }), { ...svc([]), name: 'b' }]);
    expect(o).toMatchObject({ status: 'green', reason: 'waiting for the first checks' });
  });
  it('hysteresis: a flapping check never reaches red with fail_rounds 2', () => {
    let memory = new Map<string, ServiceMemory>();
    const colors: string[] = [];
    for (let i = 0; i < 10; i++) {
      const out = assess({
        at: AT + i,
        services: [svc([http(i % 2 === 0)])],
        previous: memory,
        upstream: [],
        graceActive: false,
      });
      memory = new Map([...out.services].map(([k, v]) => [k, v.memory]));
      colors.push(out.overall.status);
    }
    expect(colors).not.toContain('red');
  });
});
