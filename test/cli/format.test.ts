import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { targetOf } from '../../src-main/cli/actions/control';
import { failuresQuery } from '../../src-main/cli/commands/failures';
import { logsQuery } from '../../src-main/cli/actions/logs';
import { CliExit } from '../../src-main/cli/exit';
import { cpuText, localTime, memoryText, table, truncate, visibleLength } from '../../src-main/cli/format';
import { colors, colorWanted, outputWidth, processColor } from '../../src-main/cli/style';

const c = colors(true);
const ESC = '\u001b[';

describe('table', () => {
  it('pads every column but the last, two spaces apart, numbers right-aligned', () => {
    expect(
      table(
        [{ header: 'A' }, { header: 'N', align: 'right' }, { header: 'C' }],
        [
          ['long', '7', 'yy'],
          ['x', '1234', ''],
        ],
      ).split('\n'),
    ).toEqual(['A        N  C', 'long     7  yy', 'x     1234']);
  });

  it('cuts the last column first so no line is wider than the width, then the widest others', () => {
    const rows = [['1', 'a-rather-long-service-name', 'a reason that goes on and on and on '.repeat(5)]];
    const cols = [{ header: 'ID' }, { header: 'SERVICE' }, { header: 'REASON' }];
    for (const width of [100, 60, 40, 30]) {
      const lines = table(cols, rows, { width }).split('\n');
      for (const l of lines) expect(l.length, `${width}: ${l}`).toBeLessThanOrEqual(width);
      expect(lines[1]).toContain('…');
    }
    // At 30 the reason keeps 10 columns; the service name gives up the rest.
    expect(table(cols, rows, { width: 30 }).split('\n')[1]).toBe('1   a-rather-long…  a reason …');
  });

  it('honours a column maximum, and turns newlines in a cell into spaces', () => {
    expect(table([{ header: 'N', max: 5 }, { header: 'R' }], [['abcdefgh', 'two\nlines']]).split('\n')).toEqual([
      'N      R',
      'abcd…  two lines',
    ]);
  });

  it('paints cells after the layout: colour takes no width', () => {
    const painted = table(
      [{ header: 'S' }, { header: 'X' }],
      [
        [{ text: 'red', paint: c.red }, 'a'],
        ['green', 'b'],
      ],
      { c },
    );
    expect(painted).toContain(ESC);
    expect(painted.split('\n').map(visibleLength)).toEqual([8, 8, 8]);
    expect(stripVTControlCharacters(painted)).toBe('S      X\nred    a\ngreen  b');
  });
});

describe('truncate and visibleLength', () => {
  it.each([
    ['abcdef', 6, 'abcdef'],
    ['abcdef', 5, 'abcd…'],
    ['abcdef', 1, '…'],
    ['abcdef', 0, ''],
  ])('%s to %d → %s', (text, width, out) => expect(truncate(text, width)).toBe(out));

  it('counts what a terminal shows', () => expect(visibleLength(c.bold(c.red('abc')))).toBe(3));
});

describe('localTime', () => {
  // Built from local fields, so the expectations hold in any time zone the tests run in.
  const now = new Date(2026, 11, 2, 9, 0, 0).getTime();
  it.each([
    [new Date(2026, 11, 2, 14, 3, 5).getTime(), 'Dec 02 14:03:05'],
    [new Date(2026, 0, 9, 0, 0, 0).getTime(), 'Jan 09 00:00:00'],
    [new Date(2025, 11, 31, 23, 59, 59).getTime(), '2025-12-31 23:59:59'],
  ])('%d → %s (local, to the second, no ms)', (at, out) => expect(localTime(at, now)).toBe(out));
});

describe('cpuText and memoryText', () => {
  it.each<[number | null, string]>([
    [null, '-'],
    [0, '0.0%'],
    [7.0833, '7.1%'],
    [12.6, '13%'],
    [250, '250%'],
  ])('cpu %s → %s', (cpu, out) => expect(cpuText(cpu)).toBe(out));
  it.each<[number | null, string]>([
    [null, '-'],
    [512, '512B'],
    [21_581_824, '20.6MB'],
    [3 * 1024 ** 3, '3.0GB'],
  ])('memory %s → %s', (bytes, out) => expect(memoryText(bytes)).toBe(out));
});

describe('colorWanted', () => {
  it.each<[string, Parameters<typeof colorWanted>[0], boolean]>([
    ['a terminal', { flag: undefined, env: {}, isTTY: true }, true],
    ['a pipe', { flag: undefined, env: {}, isTTY: false }, false],
    ['NO_COLOR on a terminal', { flag: undefined, env: { NO_COLOR: '1' }, isTTY: true }, false],
    ['an empty NO_COLOR (unset, says no-color.org)', { flag: undefined, env: { NO_COLOR: '' }, isTTY: true }, true],
    ['a dumb terminal', { flag: undefined, env: { TERM: 'dumb' }, isTTY: true }, false],
    ['FORCE_COLOR=1 on a pipe', { flag: undefined, env: { FORCE_COLOR: '1' }, isTTY: false }, true],
    ['FORCE_COLOR=0 on a terminal', { flag: undefined, env: { FORCE_COLOR: '0' }, isTTY: true }, false],
    ['FORCE_COLOR over NO_COLOR', { flag: undefined, env: { FORCE_COLOR: '1', NO_COLOR: '1' }, isTTY: false }, true],
    ['--no-color over FORCE_COLOR', { flag: false, env: { FORCE_COLOR: '1' }, isTTY: true }, false],
    ['--color on a pipe with NO_COLOR', { flag: true, env: { NO_COLOR: '1' }, isTTY: false }, true],
  ])('%s → %s', (_what, input, out) => expect(colorWanted(input)).toBe(out));
});

describe('outputWidth', () => {
  it.each([
    [{ isTTY: true, columns: 80 }, 80],
    [{ isTTY: true, columns: 200 }, 100],
    [{ isTTY: true, columns: 0 }, 100],
    [{ isTTY: false, columns: 40 }, 100],
  ])('%j → %d', (stdout, out) => expect(outputWidth(stdout)).toBe(out));
});

describe('processColor', () => {
  it('gives a name the same colour every time, never red, and different names different colours', () => {
    expect(processColor(c, 'web')('x')).toBe(processColor(c, 'web')('x'));
    const names = ['web', 'api', 'worker', 'db', 'cron', 'queue', 'mailer', 'ticker'];
    const painted = new Set(names.map((n) => processColor(c, n)('x')));
    expect(painted.size).toBeGreaterThan(3);
    for (const p of painted) expect(p).not.toContain('\x1b[31m');
    expect(processColor(colors(false), 'web')('x')).toBe('x');
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

function usageError(fn: () => unknown): CliExit {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(CliExit);
  expect((err as CliExit).code).toBe(2);
  return err as CliExit;
}

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
    [{ since: 'yesterday' }, '--since: expected a duration like "30m", "24h" or "7d", got "yesterday"'],
    [{ grep: '(' }, /^--grep: expected a regular expression/],
  ])('%j is a usage error', (opts, message) => {
    expect(usageError(() => logsQuery(undefined, opts, 0)).message).toMatch(message);
  });
});

describe('failuresQuery', () => {
  const now = 30 * 86_400_000;
  it.each([
    [{}, { limit: 50, offset: 0 }],
    [{ since: '7d' }, { limit: 50, offset: 0, since: now - 7 * 86_400_000 }],
    [
      { since: '24h', limit: '5' },
      { limit: 5, offset: 0, since: now - 86_400_000 },
    ],
    [
      { since: '30m', service: 'web' },
      { limit: 50, offset: 0, since: now - 1_800_000, service: 'web' },
    ],
    [{ since: '1h30m' }, { limit: 50, offset: 0, since: now - 5_400_000 }],
    [{ since: '400w' }, { limit: 50, offset: 0, since: 0 }],
  ])('%j → %j', (opts, input) => expect(failuresQuery(opts, now)).toEqual(input));

  it.each([
    [{ since: '7' }, '--since: expected a duration like "30m", "24h" or "7d", got "7"'],
    [{ since: 'a week' }, '--since: expected a duration like "30m", "24h" or "7d", got "a week"'],
    [{ since: '-7d' }, '--since: expected a duration like "30m", "24h" or "7d", got "-7d"'],
    [{ limit: '501' }, '--limit: expected a whole number from 1 to 500, got "501"'],
    [{ limit: '1.5' }, '--limit: expected a whole number from 1 to 500, got "1.5"'],
  ])('%j is a usage error naming the option', (opts, message) => {
    expect(usageError(() => failuresQuery(opts, now)).message).toBe(message);
  });
});
