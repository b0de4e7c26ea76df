/**
 * Values that a type check lets through but that would fail later (in the daemon log, at the first schedule, as a
 * check that can never pass) are refused when the config is read, each with its path and line.
 */
import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../../src-main/core/config/load';
import { issuesOf } from './issues-of';

/** A process with a schedule, or a service with one check, around the value under test. */
const schedule = (body: string) => `processes:\n  - name: job\n    command: "true"\n    schedule: { ${body} }\n`;
const check = (body: string) => `services:\n  - name: svc\n    checks:\n      - { ${body} }\n`;

describe('validation refuses what would fail later, naming path and line', () => {
  it.each<[string, string, string, RegExp]>([
    [
      'a cron that is not one',
      schedule('cron: "not a cron"'),
      'processes[0].schedule.cron',
      /expected a cron expression/,
    ],
    ['a minute out of range', schedule('cron: "99 * * * *"'), 'processes[0].schedule.cron', /99 is a invalid/],
    ['a second out of range', schedule('cron: "61 * * * * *"'), 'processes[0].schedule.cron', /cron/],
    ['a range past the end', schedule('cron: "0 1-25 * * *"'), 'processes[0].schedule.cron', /cron/],
    ['seven fields', schedule('cron: "* * * * * * *"'), 'processes[0].schedule.cron', /5 fields/],
    [
      'an unknown time zone',
      schedule('cron: "0 3 * * *", timezone: Mars/Olympus'),
      'processes[0].schedule.timezone',
      /IANA time zone.*Mars\/Olympus/,
    ],
    ['every: 0', schedule('every: 0'), 'processes[0].schedule.every', /at least 100ms/],
    ['a URL without a scheme', check('type: http, url: "localhost:8080"'), 'services[0].checks[0].url', /http/],
    ['an ftp URL', check('type: http, url: "ftp://x/"'), 'services[0].checks[0].url', /http:\/\/ or https:\/\/.*ftp/],
    ['a relative URL', check('type: http, url: "/health"'), 'services[0].checks[0].url', /absolute/],
    ['interval: 0', check('type: tcp, port: 80, interval: 0'), 'services[0].checks[0].interval', /at least 100ms/],
    ['interval: 10ms', check('type: tcp, port: 80, interval: 10ms'), 'services[0].checks[0].interval', /at least/],
    ['timeout: 0', check('type: tcp, port: 80, timeout: 0'), 'services[0].checks[0].timeout', /at least 50ms/],
    [
      'a timeout not below the interval',
      check('type: tcp, port: 80, interval: 5s, timeout: 5s'),
      'services[0].checks[0].timeout',
      /below the interval \(5s\), got 5s/,
    ],
    ['port 0', check('type: tcp, port: 0'), 'services[0].checks[0].port', /port between 1 and 65535/],
    ['port 70000', check('type: tcp, port: 70000'), 'services[0].checks[0].port', /port between 1 and 65535/],
    ['a host with a scheme', check('type: tcp, host: "http://x", port: 80'), 'services[0].checks[0].host', /host/],
    [
      'a bad internet target',
      check('type: internet, targets: ["1.1.1.1:99999"]'),
      'services[0].checks[0].targets[0]',
      /port/,
    ],
    ['a bad regex', check('type: process, match: "(["'), 'services[0].checks[0].match', /regular expression/],
    [
      'a process check without a target on a service',
      check('type: process'),
      'services[0].checks[0]',
      /expected process .* or match/,
    ],
    [
      'a process check naming no process',
      check('type: process, process: ghost'),
      'services[0].checks[0].process',
      /name of a process in this config, got "ghost"/,
    ],
    [
      'duplicate check names',
      'services:\n  - name: svc\n    checks:\n      - { name: a, type: tcp, port: 1 }\n      - { name: a, type: tcp, port: 2 }\n',
      'services[0].checks[1].name',
      /duplicate check name "a"/,
    ],
    [
      'a duplicate process name',
      'processes:\n  - { name: web, command: node }\n  - { name: web, command: node }\n',
      'processes[1].name',
      /duplicate name "web"/,
    ],
    [
      'a service regex',
      'services:\n  - name: svc\n    process: { match: "a(" }\n',
      'services[0].process.match',
      /regular expression/,
    ],
    [
      'a bad duration',
      'processes:\n  - { name: web, command: node, stop: { timeout: 5 minutes } }\n',
      'processes[0].stop.timeout',
      /duration/,
    ],
    [
      'a name with a space',
      'processes:\n  - { name: "my app", command: node }\n',
      'processes[0].name',
      /letters and digits/,
    ],
    [
      'a name with a slash',
      'processes:\n  - { name: "a/b", command: node }\n',
      'processes[0].name',
      /letters and digits/,
    ],
    [
      'a name starting with "-"',
      'processes:\n  - { name: "-rf", command: node }\n',
      'processes[0].name',
      /starting with/,
    ],
    [
      'a 65-character name',
      `processes:\n  - { name: ${'x'.repeat(65)}, command: node }\n`,
      'processes[0].name',
      /at most 64/,
    ],
    ['a bad group name', 'processes:\n  - { name: a, command: node, group: "g g" }\n', 'processes[0].group', /letters/],
    [
      'an unknown give_up',
      'processes:\n  - { name: a, command: node, restart: { give_up: soon } }\n',
      'processes[0].restart.give_up',
      /window/,
    ],
  ])('%s', (_what, text, path, message) => {
    const issues = issuesOf(text);
    const issue = issues.find((i) => i.path === path);
    expect(issue, JSON.stringify(issues)).toBeDefined();
    expect(issue!.message).toMatch(message);
    expect(issue!.line).toBeGreaterThan(0);
  });

  it('points at the line of the bad value', () => {
    const text = 'processes:\n  - name: job\n    command: "true"\n    schedule:\n      cron: "99 * * * *"\n';
    expect(issuesOf(text)).toEqual([expect.objectContaining({ path: 'processes[0].schedule.cron', line: 5 })]);
  });

  it.each([
    ['a 6-field cron with a time zone', schedule('cron: "*/10 * * * * *", timezone: Europe/Berlin')],
    ['a cron with names and ranges', schedule('cron: "0 9-17 * * MON-FRI", timezone: UTC')],
    ['every: 1s', schedule('every: 1s')],
    [
      'an https check with a port and path',
      check('type: http, url: "https://example.com:8443/a?b=1", interval: 10s, timeout: 2s'),
    ],
    ['an IPv6 URL', check('type: http, url: "http://[::1]:8080/"')],
    ['a tcp check on ::1', check('type: tcp, host: "::1", port: 22')],
    ['a dns check', check('type: dns, hostname: example.com, server: 1.1.1.1')],
    ['internet targets', check('type: internet, targets: ["1.1.1.1:443", "[2606:4700::1111]:53", "dns.google"]')],
    ['a process check by regex', check('type: process, match: "^/usr/bin/python3? .*app\\\\.py$"')],
    [
      'Unicode names',
      'processes:\n  - { name: test_öäü, command: node, group: грузчики }\n  - { name: 日本語-1.2, command: node }\n  - { name: नमस्ते, command: node }\n',
    ],
    [
      'a check on a supervised process',
      'processes:\n  - { name: web, command: node, checks: [{ type: process }] }\nservices:\n  - { name: s, checks: [{ type: process, process: web }] }\n',
    ],
  ])('accepts %s', (_what, text) => {
    expect(() => loadConfigText(text, 'test.yaml')).not.toThrow();
  });

  it('refuses a name that is not NFC (it would look identical to another one)', () => {
    const decomposed = 'a\u0308'; // "ä" as a plus a combining diaeresis
    expect(issuesOf(`processes:\n  - { name: "${decomposed}", command: node }\n`)[0]!.message).toMatch(/NFC/);
  });
});
