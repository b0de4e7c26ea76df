import { describe, expect, it } from 'vitest';
import { splitCommandLine, needsShell } from '../../../src-main/core/importers/command-line';
import { calendarToCron } from '../../../src-main/core/importers/calendar-cron';
import { interpolate, parseEnvironment, parseSupervisordIni } from '../../../src-main/core/importers/supervisord-ini';
import { toProcessName } from '../../../src-main/core/importers/import-result';

describe('splitCommandLine', () => {
  it.each([
    ['a b  c', ['a', 'b', 'c']],
    [`a "b c" 'd e'`, ['a', 'b c', 'd e']],
    [`a "say \\"hi\\"" x\\ y`, ['a', 'say "hi"', 'x y']],
    [`a '' ""`, ['a', '', '']],
    [`--bind="127.0.0.1:80"`, ['--bind=127.0.0.1:80']],
  ])('%s', (line, argv) => expect(splitCommandLine(line)).toEqual(argv));
  it('refuses an open quote', () => expect(() => splitCommandLine('a "b')).toThrow(/unterminated " quote/));
  it.each([
    ['a | b', true],
    ['a && b', true],
    ['a > out', true],
    ['echo $(date)', true],
    ['a --x=|', false],
    ['a b', false],
  ])('needsShell %s', (l, v) => expect(needsShell(l)).toBe(v));
});

describe('calendarToCron', () => {
  it.each([
    [{ Minute: 0, Hour: 3 }, ['0 3 * * *']],
    [{}, ['* * * * *']],
    [{ Minute: 30, Weekday: 7 }, ['30 * * * 0']],
    [{ Day: 1, Month: 6, Minute: 0, Hour: 0 }, ['0 0 1 6 *']],
    [
      [
        { Hour: 9, Minute: 0 },
        { Hour: 17, Minute: 0 },
      ],
      ['0 9,17 * * *'],
    ],
    [
      [
        { Hour: 9, Minute: 0 },
        { Hour: 17, Minute: 30 },
      ],
      ['0 9 * * *', '30 17 * * *'],
    ],
  ])('%j → %j (every entry kept)', (input, crons) => expect(calendarToCron(input)).toEqual(crons));
  it('names the bad key', () => {
    expect(() => calendarToCron({ Hour: 25 })).toThrow(/StartCalendarInterval\.Hour: expected 0\.\.23, got 25/);
    expect(() => calendarToCron({ Second: 1 } as never)).toThrow(/unknown key Second/);
  });
});

describe('supervisord INI', () => {
  it('reads an option indented like its neighbours as its own key, as Python does', () => {
    expect(parseSupervisordIni('[program:a]\n  command=x\n  autostart=false\n    --y\n')[0]!.values).toEqual({
      command: 'x',
      autostart: 'false\n--y',
    });
  });
  it('handles comments, continuation lines and colons', () => {
    const s = parseSupervisordIni('; c\n# c\n[program:a]\ncommand = x ; inline\n  --flag\nurl: http://h:1/p;q\n');
    expect(s).toEqual([{ name: 'program:a', line: 3, values: { command: 'x\n--flag', url: 'http://h:1/p;q' } }]);
  });
  it('interpolates and reports unknown names', () => {
    const unknown: string[] = [];
    expect(interpolate('%(a)s-%(n)02d %% %(b)s', { a: 'x', n: '0' }, (n) => unknown.push(n))).toBe('x-00 % %(b)s');
    expect(unknown).toEqual(['b']);
    expect(interpolate('%(n)d', { n: '3' }, () => {})).toBe('3');
  });
  it('parses environment=', () => {
    expect(parseEnvironment('A="1,2",B=two, C=\'x y\'')).toEqual({ A: '1,2', B: 'two', C: 'x y' });
    expect(() => parseEnvironment('A="1" junk')).toThrow(/expected KEY="value"/);
  });
});

describe('toProcessName', () => {
  it.each([
    ['nightly report', 'nightly-report'],
    ['com.example.x', 'com.example.x'],
    ['_x', 'x'],
    ['!!!', 'process'],
    ['test_öäü', 'test_öäü'],
    ['日本 語', '日本-語'],
    ['a\u0308', 'ä'],
  ])('%s → %s', (a, b) => expect(toProcessName(a)).toBe(b));
});
