import { writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConfigError,
  expandHome,
  formatIssue,
  loadConfigFile,
  loadConfigText,
  type ConfigIssue,
} from '../../../src-main/core/config/load';
import { issuesOf } from './issues-of';
import { tempDir } from '../../helpers/tmp';

describe('loadConfigText: one clear issue per problem, with path and line', () => {
  it.each<[string, string, ConfigIssue]>([
    [
      'a bad duration',
      'processes:\n  - name: web\n    command: node\n    restart:\n      delay: soon\n',
      {
        path: 'processes[0].restart.delay',
        message: 'expected a duration like "500ms", "30s", "5m", "1h30m", got "soon"',
        line: 5,
      },
    ],
    [
      'an unknown key',
      'processes:\n  - name: web\n    command: node\n    restart: { dealy: 3s }\n',
      { path: 'processes[0].restart.dealy', message: 'unknown key "dealy" (did you mean "delay"?)', line: 4 },
    ],
    [
      'an unknown top-level key',
      'version: 1\nprocess: []\n',
      { path: 'process', message: 'unknown key "process" (did you mean "processes"?)', line: 2 },
    ],
    [
      'a wrong type',
      'processes:\n  - name: web\n    command: node\n    args: 3\n',
      { path: 'processes[0].args', message: 'expected array, got 3', line: 4 },
    ],
    [
      'a missing field',
      'processes:\n  - name: web\n',
      { path: 'processes[0].command', message: 'missing; expected string', line: 2 },
    ],
    [
      'negative retries',
      'processes:\n  - name: web\n    command: node\n    restart:\n      max_retries: -1\n',
      { path: 'processes[0].restart.max_retries', message: 'expected number to be >=0, got -1', line: 5 },
    ],
    [
      'a duplicate name',
      'processes:\n  - name: web\n    command: a\n  - name: web\n    command: b\n',
      { path: 'processes[1].name', message: 'duplicate name "web" (already used by processes.0)', line: 4 },
    ],
    [
      'an unknown check type',
      'services:\n  - name: vpn\n    checks:\n      - type: ping\n',
      {
        path: 'services[0].checks[0].type',
        message: 'expected type to be one of process, http, tcp, dns, internet, command, netbird, got "ping"',
        line: 4,
      },
    ],
    [
      'a bad enum value',
      'processes:\n  - name: web\n    command: node\n    restart: { policy: sometimes }\n',
      {
        path: 'processes[0].restart.policy',
        message: 'expected one of "always"|"on-failure"|"never", got "sometimes"',
        line: 4,
      },
    ],
    [
      'a YAML syntax error',
      'processes: [\n',
      {
        path: '',
        message: expect.stringMatching(/^YAML syntax: /) as unknown as string,
        line: expect.any(Number) as unknown as number,
      },
    ],
    [
      'a top-level list',
      '- a\n- b\n',
      { path: '', message: 'expected a mapping with settings, processes and services at the top' },
    ],
  ])('%s', (_what, text, expected) => {
    const issues = issuesOf(text);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toEqual(expected);
  });

  it('reports every problem of a file, each on its own line', () => {
    const issues = issuesOf(
      'processes:\n  - name: web\n    command: node\n    restart: { delay: soon, max_retries: -2 }\n    colour: red\n',
    );
    expect(issues.map((i) => i.path).sort()).toEqual([
      'processes[0].colour',
      'processes[0].restart.delay',
      'processes[0].restart.max_retries',
    ]);
  });

  it('formats an issue as one human line', () => {
    expect(formatIssue({ path: 'processes[2].restart.delay', message: 'expected a duration', line: 14 })).toBe(
      'processes[2].restart.delay: expected a duration (line 14)',
    );
    expect(formatIssue({ path: '', message: 'expected a mapping' })).toBe('expected a mapping');
  });

  it('names the source in the error message', () => {
    expect(() => loadConfigText('version: 2\n', 'my.yaml')).toThrow(
      /^invalid config my\.yaml:\nversion: expected 1, got 2 \(line 1\)$/,
    );
  });

  it('parses durations to ms and fills defaults', () => {
    const config = loadConfigText('processes:\n  - name: web\n    command: node\n    restart: { delay: 1h30m }\n');
    expect(config.processes[0]!.restart.delay).toBe(5_400_000);
    expect(config.processes[0]!.restart.policy).toBe('on-failure');
    expect(config.settings.log_level).toBe('info');
  });

  it('expands ~ in cwd', () => {
    const config = loadConfigText(
      'processes:\n  - { name: a, command: x, cwd: ~/code }\n  - { name: b, command: x, cwd: rel/dir }\n',
    );
    expect(config.processes.map((p) => p.cwd)).toEqual([join(homedir(), 'code'), 'rel/dir']);
  });

  it('an empty text is the empty config', () => {
    expect(loadConfigText('').processes).toEqual([]);
  });

  it('an alias bomb is a ConfigError, not a crash', () => {
    const bomb =
      'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n';
    expect(() => loadConfigText(bomb)).toThrow(ConfigError);
  });
});

describe('expandHome', () => {
  it.each([
    ['~', '/h'],
    ['~/x/y', '/h/x/y'],
    ['/abs', '/abs'],
    ['~user/x', '~user/x'],
    ['a/~/b', 'a/~/b'],
  ])('%s → %s', (input, out) => expect(expandHome(input, '/h')).toBe(out));
});

describe('loadConfigFile', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('reads a file and names it in errors', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const file = join(t.dir, 'bad.yaml');
    writeFileSync(file, 'processes:\n  - name: x\n    command: y\n    stop: { signal: NOPE }\n');
    expect(() => loadConfigFile(file)).toThrow(`invalid config ${file}:`);
  });

  it('an unreadable file is a ConfigError', () => {
    expect(() => loadConfigFile('/nonexistent/sentinel.yaml')).toThrow(/cannot read the file/);
  });
});
