import { spawn } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as command from '../../../src-main/core/checks/command';
import * as dns from '../../../src-main/core/checks/dns';
import * as http from '../../../src-main/core/checks/http';
import * as internet from '../../../src-main/core/checks/internet';
import * as netbird from '../../../src-main/core/checks/netbird';
import { judgeNetbird, parseNetbirdStatus } from '../../../src-main/core/checks/netbird-status';
import * as processCheck from '../../../src-main/core/checks/process';
import { compileQuery } from '../../../src-main/core/checks/process-finder';
import { parsePsList } from '../../../src-main/platform/process-table';
import * as tcp from '../../../src-main/core/checks/tcp';
import { getPath } from '../../../src-main/core/checks/json-path';
import { CheckResultShape } from '../../../src-main/core/checks/result';
import { tempDir } from '../../helpers/tmp';
import { waitFor } from '../../helpers/wait';
import { ctxFor, httpServer, spec } from './helpers';
import { freePort } from '../../helpers/net';
import { processInfo } from '../../helpers/process-info';

const FIXTURE = readFileSync(join(__dirname, 'fixtures', 'netbird-status.json'), 'utf8');

describe('http check', () => {
  let srv: Awaited<ReturnType<typeof httpServer>>;
  beforeAll(async () => (srv = await httpServer()));
  afterAll(() => srv.close());

  it('passes on the expected status and body, with a latency', async () => {
    const s = spec({ type: 'http', url: srv.url, expect_body: 'healthy' });
    const r = await http.run(s, ctxFor(s));
    expect(CheckResultShape.parse(r)).toMatchObject({ ok: true, error: null, data: { status: 200 } });
    expect(r.latency_ms).toBeGreaterThanOrEqual(0);
  });
  it('fails on another status, naming both', async () => {
    srv.mode.status = 503;
    const s = spec({ type: 'http', url: srv.url, expect_status: [200, 204] });
    const r = await http.run(s, ctxFor(s));
    srv.mode.status = 200;
    expect(r).toMatchObject({ ok: false, error: 'HTTP 503, expected 200 or 204' });
  });
  it('fails when the body lacks the expected text', async () => {
    const s = spec({ type: 'http', url: srv.url, expect_body: 'all good' });
    expect((await http.run(s, ctxFor(s))).error).toBe('body does not contain "all good"');
  });
  it('fails with a timeout when the server never answers', async () => {
    srv.mode.hang = true;
    const s = spec({ type: 'http', url: srv.url, timeout: 150 });
    const r = await http.run(s, ctxFor(s));
    srv.mode.hang = false;
    expect(r).toMatchObject({ ok: false, error: 'timed out after 150 ms' });
  });
  it('fails with the connection error when nothing listens', async () => {
    const port = await freePort();
    const s = spec({ type: 'http', url: `http://127.0.0.1:${port}/` });
    expect((await http.run(s, ctxFor(s))).error).toMatch(/ECONNREFUSED/);
  });
});

describe('tcp check', () => {
  it('passes while a listener accepts and fails once it is gone', async () => {
    const server = createServer((sock) => sock.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const s = spec({ type: 'tcp', port });
    expect((await tcp.run(s, ctxFor(s))).ok).toBe(true);
    await new Promise((r) => server.close(r));
    const r = await tcp.run(s, ctxFor(s));
    expect(r).toMatchObject({ ok: false, data: { host: '127.0.0.1', port } });
    expect(r.error).toMatch(new RegExp(`ECONNREFUSED 127.0.0.1:${port}`));
  });
});

describe('dns check', () => {
  it('an unresolvable name fails with the name in the reason', async () => {
    const s = spec({ type: 'dns', hostname: 'nonexistent.invalid', timeout: 3000 });
    const r = await dns.run(s, ctxFor(s));
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/nonexistent\.invalid|timed out/);
  });
  it('asks the configured server (nothing answers on 127.0.0.1:9 → failure)', async () => {
    const s = spec({ type: 'dns', hostname: 'example.com', server: '127.0.0.1:9', timeout: 1500 });
    const r = await dns.run(s, ctxFor(s));
    expect(r).toMatchObject({ ok: false, data: { server: '127.0.0.1:9' } });
  });
});

describe('command check', () => {
  const node = process.execPath;
  const run = (input: Record<string, unknown>) => {
    const s = spec({ type: 'command', command: node, ...input });
    return command.run(s, ctxFor(s));
  };
  it('exit 0 passes', async () => expect((await run({ args: ['-e', ''] })).ok).toBe(true));
  it('a non-zero exit fails with the code and the end of stderr', async () => {
    const r = await run({ args: ['-e', 'console.error("disk on fire"); process.exit(3)'] });
    expect(r).toMatchObject({ ok: false, error: 'exited with code 3: disk on fire', data: { exit_code: 3 } });
  });
  it('JSON with a truthy expected path passes and reports the value', async () => {
    const r = await run({
      args: ['-e', 'console.log(JSON.stringify({management:{connected:true}}))'],
      json: true,
      expect: 'management.connected',
    });
    expect(r).toMatchObject({ ok: true, data: { value: true } });
  });
  it('JSON with a falsy expected path fails naming the path', async () => {
    const r = await run({
      args: ['-e', 'console.log(JSON.stringify({management:{connected:false}}))'],
      json: true,
      expect: 'management.connected',
    });
    expect(r.error).toBe('"management.connected" is false, expected a truthy value');
  });
  it('malformed JSON fails with a clear reason', async () => {
    const r = await run({ args: ['-e', 'console.log("{peers: 3,")'], json: true });
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/^output is not valid JSON: /);
  });
  it('runs without a shell: metacharacters are plain arguments', async () => {
    const r = await run({ args: ['-e', 'process.exit(process.argv[1] === "$HOME;|" ? 0 : 1)', '$HOME;|'] });
    expect(r.ok).toBe(true);
  });
  it('shell: true runs through /bin/sh', async () => {
    const s = spec({
      type: 'command',
      command: 'echo',
      args: [`'{"a":1}'`, '|', 'cat'],
      shell: true,
      json: true,
      expect: 'a',
    });
    expect((await command.run(s, ctxFor(s))).ok).toBe(true);
  });
  it('a hung command is killed at the timeout', async () => {
    const r = await run({ args: ['-e', 'setInterval(() => {}, 1000)'], timeout: 200 });
    expect(r).toMatchObject({ ok: false, error: 'timed out after 200 ms' });
  });
  it('a missing command says so', async () => {
    const s = spec({ type: 'command', command: 'sentinel-no-such-tool' });
    expect((await command.run(s, ctxFor(s))).error).toBe('sentinel-no-such-tool: command not found');
  });
  it.each([
    ['{"a":{"b":[1,{"c":"x"}]}}', 'a.b.1.c', 'x'],
    ['{"a":1}', 'a.b', undefined],
    ['{"a":null}', 'a.b', undefined],
  ])('getPath(%s, %s)', (json, path, value) => expect(getPath(JSON.parse(json), path)).toBe(value));
});

describe('internet check', () => {
  it('plans probes: a port means TCP, a bare host pings only when ping exists', () => {
    expect(internet.planProbes(['1.1.1.1:443', 'example.com'], 'auto', true)).toEqual([
      { kind: 'tcp', host: '1.1.1.1', port: 443 },
      { kind: 'ping', host: 'example.com' },
    ]);
    expect(internet.planProbes(['example.com'], 'auto', false)).toEqual([
      { kind: 'tcp', host: 'example.com', port: 443 },
    ]);
    expect(internet.planProbes(['[::1]:53'], 'tcp', true)).toEqual([{ kind: 'tcp', host: '::1', port: 53 }]);
  });
  it('ping -W is seconds on Linux and milliseconds on macOS', () => {
    expect(internet.pingArgv('h', 1500, 'linux')).toEqual(['ping', '-c', '1', '-W', '2', 'h']);
    expect(internet.pingArgv('h', 1500, 'darwin')).toEqual(['ping', '-c', '1', '-W', '1500', 'h']);
  });
  it('passes when any target answers and reports which', async () => {
    const server = createServer((sock) => sock.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const dead = await freePort();
    const s = spec({ type: 'internet', targets: [`127.0.0.1:${dead}`, `127.0.0.1:${port}`], method: 'tcp' });
    const r = await internet.run(s, ctxFor(s));
    await new Promise((res) => server.close(res));
    expect(r).toMatchObject({ ok: true, data: { answered: `127.0.0.1:${port}`, method: 'tcp' } });
  });
  it('fails listing every target error when none answers', async () => {
    const [a, b] = [await freePort(), await freePort()];
    const s = spec({ type: 'internet', targets: [`127.0.0.1:${a}`, `127.0.0.1:${b}`], method: 'tcp' });
    const r = await internet.run(s, ctxFor(s));
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/^no target answered: .*ECONNREFUSED.*; .*ECONNREFUSED/);
  });
});

describe('netbird check', () => {
  it('parses the documented JSON fixture', () => {
    expect(parseNetbirdStatus(FIXTURE)).toEqual({
      installed: true,
      peers_connected: 1,
      peers_total: 3,
      management_connected: true,
      signal_connected: true,
      ip: '100.92.10.2/16',
      version: '0.31.1',
    });
  });
  it('names the field that does not match the schema', () => {
    expect(() =>
      parseNetbirdStatus('{"peers":{"total":1},"management":{"connected":true},"signal":{"connected":true}}'),
    ).toThrow(/peers\.connected/);
    expect(() => parseNetbirdStatus('not json')).toThrow(/not valid JSON/);
  });
  it.each([
    [{ management_connected: true, signal_connected: true, peers_connected: 0, peers_total: 3 }, 0, null],
    [
      { management_connected: true, signal_connected: true, peers_connected: 0, peers_total: 3 },
      0.5,
      '0/3 peers reachable (need 50%)',
    ],
    [
      { management_connected: false, signal_connected: true, peers_connected: 3, peers_total: 3 },
      0,
      'management disconnected',
    ],
    [
      { management_connected: true, signal_connected: false, peers_connected: 0, peers_total: 0 },
      1,
      'signal disconnected',
    ],
  ])('judges %o with min %s', (s, min, expected) => {
    expect(judgeNetbird({ installed: true, ip: null, version: null, ...s }, min)).toBe(expected);
  });
  it('not on PATH → passes with {installed:false}', async () => {
    const { dir, cleanup } = tempDir();
    const s = spec({ type: 'netbird' });
    const r = await netbird.run(s, ctxFor(s, { path: dir }));
    cleanup();
    expect(r).toMatchObject({ ok: true, data: { installed: false } });
  });
  it('runs the real CLI found on PATH and judges its output', async () => {
    const { dir, cleanup } = tempDir();
    writeFileSync(join(dir, 'status.json'), FIXTURE);
    writeFileSync(
      join(dir, 'netbird'),
      `#!/bin/sh\n[ "$1 $2" = "status --json" ] || exit 2\ncat "${join(dir, 'status.json')}"\n`,
    );
    chmodSync(join(dir, 'netbird'), 0o755);
    const lenient = spec({ type: 'netbird' });
    const strict = spec({ type: 'netbird', min_peers_connected: 0.5 });
    const ok = await netbird.run(lenient, ctxFor(lenient, { path: dir }));
    const bad = await netbird.run(strict, ctxFor(strict, { path: dir }));
    cleanup();
    expect(ok).toMatchObject({ ok: true, data: { installed: true, peers_connected: 1, peers_total: 3 } });
    expect(bad).toMatchObject({ ok: false, error: '1/3 peers reachable (need 50%)' });
  });
  it('a daemon that is not running (CLI exits non-zero) fails with its message', async () => {
    const { dir, cleanup } = tempDir();
    writeFileSync(join(dir, 'netbird'), '#!/bin/sh\necho "daemon is not running" >&2\nexit 1\n');
    chmodSync(join(dir, 'netbird'), 0o755);
    const s = spec({ type: 'netbird' });
    const r = await netbird.run(s, ctxFor(s, { path: dir }));
    cleanup();
    expect(r).toMatchObject({
      ok: false,
      error: 'netbird status failed: daemon is not running',
      data: { installed: true, daemon: false },
    });
  });
});

describe('process check', () => {
  it('finds an external process by a regex over its command line, with pid and resource use', async () => {
    const marker = `sentinel-probe-${process.pid}`;
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', marker], { stdio: 'ignore' });
    try {
      const s = spec({ type: 'process', match: `${marker}$` });
      const r = await waitFor(
        async () => {
          const res = await processCheck.run(s, ctxFor(s));
          return res.ok ? res : null;
        },
        { timeout: 5000, what: 'the probe process' },
      );
      expect(r.data).toMatchObject({ count: 1, pid: child.pid });
      expect((r.data as { memory: number }).memory).toBeGreaterThan(0);
    } finally {
      child.kill('SIGKILL');
    }
    const s = spec({ type: 'process', match: `${marker}$` });
    const gone = await waitFor(
      async () => {
        const res = await processCheck.run(s, ctxFor(s));
        return res.ok ? null : res;
      },
      { timeout: 5000, what: 'the probe to disappear' },
    );
    expect(gone.error).toBe(`no process matches "${marker}$"`);
  });
  it('asks the supervisor about a supervised process', async () => {
    const info = (state: 'running' | 'backoff') =>
      processInfo({
        name: 'api',
        state,
        pid: state === 'running' ? 4242 : null,
        uptime_ms: 10,
        reason: state === 'backoff' ? 'exited with code 1' : null,
        cpu: 1,
        memory: 2,
      });
    let state: 'running' | 'backoff' = 'running';
    const supervisor = {
      pidOf: () => (state === 'running' ? 4242 : null),
      info: (n: string) => (n === 'api' ? info(state) : undefined),
    };
    const s = spec({ type: 'process', process: 'api' });
    expect(await processCheck.run(s, ctxFor(s, { supervisor }))).toMatchObject({ ok: true, data: { pid: 4242 } });
    state = 'backoff';
    expect((await processCheck.run(s, ctxFor(s, { supervisor }))).error).toBe('api is backoff (exited with code 1)');
    const other = spec({ type: 'process', process: 'web' });
    expect((await processCheck.run(other, ctxFor(other, { supervisor }))).error).toBe(
      'process: no supervised process named "web"',
    );
  });
  it('matches by executable name or regex; an invalid regex is a clear error', () => {
    const p = { pid: 1, comm: 'netbird', cmdline: '/usr/local/bin/netbird service run' };
    expect(compileQuery({ name: 'netbird' })(p)).toBe(true);
    expect(compileQuery({ match: 'service run$' })(p)).toBe(true);
    expect(compileQuery({ name: 'bird' })(p)).toBe(false);
    expect(() => compileQuery({ match: '(' })).toThrow(/^match: invalid regular expression "\("/);
  });
  it('parses macOS ps output', () => {
    expect(
      parsePsList(
        '  1 /sbin/launchd /sbin/launchd\n 812 /usr/local/bin/netbird /usr/local/bin/netbird service run\n\n',
      ),
    ).toEqual([
      { pid: 1, comm: 'launchd', cmdline: '/sbin/launchd' },
      { pid: 812, comm: 'netbird', cmdline: '/usr/local/bin/netbird service run' },
    ]);
  });
});
