import { describe, expect, it } from 'vitest';
import type { ProcessInfo } from '../../src-main/shared/contract';
import { targetOf } from '../../src-main/cli/commands/control';
import { logsQuery } from '../../src-main/cli/commands/logs';
import { CliExit } from '../../src-main/cli/exit';
import { logLine, note, statusTable, table } from '../../src-main/cli/format';

const base: ProcessInfo = {
  name: 'web',
  group: null,
  state: 'running',
  pid: 101,
  started_at: 0,
  uptime_ms: 90_000,
  restarts: 2,
  last_exit_code: null,
  last_signal: null,
  reason: null,
  next_attempt_at: null,
  cpu: null,
  memory: null,
  schedule: null,
};

describe('table', () => {
  it('pads every column but the last', () => {
    expect(
      table([
        ['A', 'BB', 'C'],
        ['long', 'x', 'yy'],
      ]),
    ).toBe('A     BB  C\nlong  x   yy');
  });
});

describe('statusTable', () => {
  it('shows name, state, pid, uptime, restarts and the backoff countdown', () => {
    const rows = [
      base,
      {
        ...base,
        name: 'crasher',
        state: 'backoff' as const,
        pid: null,
        uptime_ms: null,
        restarts: 4,
        next_attempt_at: 45_000,
      },
      {
        ...base,
        name: 'dead',
        state: 'fatal' as const,
        pid: null,
        restarts: 6,
        reason: 'too many failures (5 in 10m)',
      },
    ];
    expect(statusTable(rows, 0).split('\n')).toEqual([
      'NAME     STATE    PID  UPTIME  RESTARTS',
      'web      running  101  1m30s   2',
      'crasher  backoff  -    -       4         next attempt in 45 s',
      'dead     fatal    -    -       6         too many failures (5 in 10m)',
    ]);
  });

  it('says so when there is nothing to show', () => {
    expect(statusTable([], 0)).toBe('no processes configured');
  });
});

describe('note', () => {
  it.each<[Partial<ProcessInfo>, number, string]>([
    [{ state: 'backoff', next_attempt_at: 10_500 }, 10_000, 'next attempt in 1 s'],
    [{ state: 'backoff', next_attempt_at: 9_000 }, 10_000, 'next attempt in 0 s'],
    [{ state: 'exited', reason: 'exit 0' }, 0, 'exit 0'],
    [{ state: 'running', reason: 'started' }, 0, ''],
  ])('%j at %d → %s', (p, now, out) => expect(note({ ...base, ...p }, now)).toBe(out));
});

describe('logLine', () => {
  it('marks stderr and markers, not stdout', () => {
    expect(logLine({ id: 1, process: 'web', stream: 'out', at: 0, line: 'hi' })).toBe(
      '1970-01-01T00:00:00.000Z web | hi',
    );
    expect(logLine({ id: 2, process: 'web', stream: 'err', at: 0, line: 'oops' })).toBe(
      '1970-01-01T00:00:00.000Z web/err | oops',
    );
  });
});

describe('targetOf', () => {
  it.each([
    ['web', {}, { name: 'web' }],
    [undefined, { group: 'g' }, { group: 'g' }],
    [undefined, { all: true }, { all: true }],
  ])('%s %j', (name, opts, target) => expect(targetOf(name, opts)).toEqual(target));

  it.each([
    [undefined, {}],
    ['web', { all: true }],
    [undefined, { group: 'g', all: true }],
  ])('refuses %s %j with a usage error', (name, opts) => {
    expect(() => targetOf(name, opts)).toThrow(new CliExit(2, 'expected exactly one of NAME, --group G or --all'));
  });
});

describe('logsQuery', () => {
  it('turns options into a logs.query input', () => {
    expect(logsQuery('web', { grep: 'err(or)?', since: '10m', lines: '20' }, 1_000_000)).toEqual({
      process: 'web',
      grep: 'err(or)?',
      since: 400_000,
      limit: 20,
    });
    expect(logsQuery(undefined, {}, 0)).toEqual({ limit: 100 });
  });

  it.each([
    [{ lines: 'many' }, '--lines: expected a whole number from 1 to 5000, got "many"'],
    [{ lines: '0' }, '--lines: expected a whole number from 1 to 5000, got "0"'],
    [{ since: 'yesterday' }, '--since: expected a duration like "10m" or "2h", got "yesterday"'],
    [{ grep: '(' }, /^--grep: expected a regular expression/],
  ])('%j is a usage error', (opts, message) => {
    let err: unknown;
    try {
      logsQuery(undefined, opts, 0);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CliExit);
    expect((err as CliExit).code).toBe(2);
    expect((err as CliExit).message).toMatch(message);
  });
});
