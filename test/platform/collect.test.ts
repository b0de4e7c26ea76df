import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectDiagnostics, RAW_LIMIT } from '../../src-main/core/diagnostics/collect';
import { MAX_OUTPUT_BYTES } from '../../src-main/core/diagnostics/run-command';
import { linuxPlatform } from '../../src-main/platform/linux/index';
import type { Connection, NetInterface, ProcessRow, Route } from '../../src-main/platform/index';
import type { DiagnosticStep, Platform } from '../../src-main/platform/types';
import { tempDir } from '../helpers/tmp';
import { alive, waitFor } from '../helpers/wait';

/** A platform made of the given real steps: the collector's behaviour without depending on OS tools. */
const platformOf = (steps: DiagnosticStep[]): Platform => ({
  name: 'linux',
  diagnosticSteps: () => steps,
  serviceRestartCommand: (l) => [l],
});
const lines = (raw: string) => raw.trim().split('\n');

describe.runIf(process.platform === 'linux')('linux diagnostics, for real', () => {
  let server: Server;
  let child: ChildProcess;
  let port: number;

  beforeAll(async () => {
    server = createServer(() => {}).listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
    const connected = once(server, 'connection');
    // The "service": a child that holds one TCP connection open to our server.
    child = spawn(
      process.execPath,
      ['-e', `require('net').connect(${port}, '127.0.0.1'); setInterval(() => {}, 1000)`],
      { stdio: 'ignore' },
    );
    await connected;
  });

  afterAll(async () => {
    child.kill('SIGKILL');
    server.close();
  });

  it('collects every section; interfaces and routes are non-empty; the child, its socket and its process are found', async () => {
    const d = await collectDiagnostics({
      service: 'sentinel-diag-test',
      pids: [child.pid!],
      sinceMs: Date.now() - 60_000,
      platform: linuxPlatform,
    });
    expect(Object.keys(d).sort()).toEqual(['connections', 'dns', 'interfaces', 'os_log', 'processes', 'routes']);

    const ifaces = d.interfaces!.data as NetInterface[];
    expect(d.interfaces!.ok).toBe(true);
    expect(ifaces.find((i) => i.name === 'lo')!.addresses.map((a) => a.address)).toContain('127.0.0.1');

    expect(d.routes!.ok).toBe(true);
    expect((d.routes!.data as Route[]).length).toBeGreaterThan(0);

    expect(d.dns!.ok).toBe(true);

    expect(d.connections!.ok).toBe(true);
    const conns = d.connections!.data as Connection[];
    expect(conns.length).toBeGreaterThan(0);
    expect(conns.every((c) => c.pid === child.pid)).toBe(true);
    expect(conns.some((c) => c.remote_port === port && c.remote_address === '127.0.0.1')).toBe(true);

    expect(d.processes!.ok).toBe(true);
    expect((d.processes!.data as ProcessRow[]).map((p) => p.pid)).toEqual([child.pid]);

    // journald may be absent (containers): then the section is an error, never a crash.
    if (d.os_log!.ok) expect(Array.isArray(d.os_log!.data)).toBe(true);
    else expect(d.os_log!.error).toMatch(/journalctl/);

    for (const section of Object.values(d)) {
      expect(section!.duration_ms).toBeGreaterThanOrEqual(0);
      expect(section!.duration_ms).toBeLessThan(5_000 + 2_000);
    }
  });
});

describe('collector', () => {
  it('times out a hung step, kills it, and keeps the other sections', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const pidFile = join(dir, 'pid');
      const d = await collectDiagnostics({
        service: 's',
        pids: [],
        sinceMs: 0,
        stepTimeoutMs: 300,
        platform: platformOf([
          { section: 'os_log', command: ['sh', '-c', `echo $$ > ${pidFile}; exec sleep 30`], parse: lines },
          { section: 'interfaces', command: ['echo', 'hello'], parse: lines },
        ]),
      });
      expect(d.os_log).toMatchObject({ ok: false, error: 'sh timed out after 300 ms' });
      expect(d.os_log!.duration_ms).toBeGreaterThanOrEqual(250);
      expect(d.interfaces).toMatchObject({ ok: true, data: ['hello'], raw: 'hello\n' });
      const pid = Number(readFileSync(pidFile, 'utf8'));
      await waitFor(() => !alive(pid), { timeout: 5_000, what: 'hung step killed' });
    } finally {
      cleanup();
    }
  });

  it('reports a missing tool, a failing exit and a parser error per section, without throwing', async () => {
    const d = await collectDiagnostics({
      service: 's',
      pids: [],
      sinceMs: 0,
      platform: platformOf([
        { section: 'dns', command: ['sentinel-no-such-tool-xyz'], parse: lines },
        { section: 'routes', command: ['sh', '-c', 'echo partial; echo "boom: broken" >&2; exit 3'], parse: lines },
        {
          section: 'processes',
          command: ['echo', 'garbage'],
          parse: () => {
            throw new Error('expected a header');
          },
        },
        { section: 'connections', command: ['sh', '-c', 'exit 1'], okExitCodes: [0, 1], parse: lines },
      ]),
    });
    expect(d.dns).toMatchObject({ ok: false, error: 'sentinel-no-such-tool-xyz: command not found' });
    expect(d.routes).toMatchObject({ ok: false, error: 'sh exited with code 3: boom: broken', raw: 'partial\n' });
    expect(d.processes).toMatchObject({
      ok: false,
      error: 'could not parse output: expected a header',
      raw: 'garbage\n',
    });
    expect(d.connections).toMatchObject({ ok: true, data: [''] });
  });

  it('joins the outputs of a multi-command step in order, and fails it when one command fails', async () => {
    const d = await collectDiagnostics({
      service: 's',
      pids: [],
      sinceMs: 0,
      platform: platformOf([
        {
          section: 'routes',
          command: {
            commands: [
              ['echo', 'v4'],
              ['printf', 'v6\\n\\n'],
            ],
          },
          parse: lines,
        },
        {
          section: 'dns',
          command: {
            commands: [
              ['echo', 'a'],
              ['sh', '-c', 'echo nope >&2; exit 2'],
            ],
          },
          parse: lines,
        },
      ]),
    });
    expect(d.routes).toMatchObject({ ok: true, data: ['v4', 'v6'] });
    expect(d.dns).toMatchObject({ ok: false, error: 'sh exited with code 2: nope' });
  });

  it('runs commands in the C locale the parsers expect', async () => {
    const d = await collectDiagnostics({
      service: 's',
      pids: [],
      sinceMs: 0,
      platform: platformOf([{ section: 'os_log', command: ['sh', '-c', 'echo "$LC_ALL"'], parse: lines }]),
    });
    expect(d.os_log).toMatchObject({ ok: true, data: ['C'] });
  });

  it('reads file steps and reports a missing file', async () => {
    const { dir, cleanup } = tempDir();
    try {
      writeFileSync(join(dir, 'resolv.conf'), 'nameserver 9.9.9.9\n');
      const d = await collectDiagnostics({
        service: 's',
        pids: [],
        sinceMs: 0,
        platform: platformOf([
          { section: 'dns', command: { file: join(dir, 'resolv.conf') }, parse: lines },
          { section: 'routes', command: { file: join(dir, 'absent') }, parse: lines },
        ]),
      });
      expect(d.dns).toMatchObject({ ok: true, data: ['nameserver 9.9.9.9'] });
      expect(d.routes).toMatchObject({ ok: false, error: `cannot read ${join(dir, 'absent')}: ENOENT` });
    } finally {
      cleanup();
    }
  });

  it('bounds the raw output it keeps but parses all of it', async () => {
    const d = await collectDiagnostics({
      service: 's',
      pids: [],
      sinceMs: 0,
      platform: platformOf([
        {
          section: 'os_log',
          command: [process.execPath, '-e', "process.stdout.write('x'.repeat(100000))"],
          parse: (raw) => raw.length,
        },
      ]),
    });
    expect(d.os_log!.data).toBe(100_000);
    expect(d.os_log!.raw!.length).toBeLessThanOrEqual(RAW_LIMIT);
    expect(d.os_log!.raw).toContain('characters cut');
  });

  it('caps what a runaway command prints and says so', async () => {
    const d = await collectDiagnostics({
      service: 's',
      pids: [],
      sinceMs: 0,
      platform: platformOf([
        {
          section: 'os_log',
          command: [process.execPath, '-e', `process.stdout.write('y'.repeat(${MAX_OUTPUT_BYTES + 100_000}))`],
          parse: (raw) => raw.length,
        },
      ]),
    });
    expect(d.os_log).toMatchObject({ ok: true, data: MAX_OUTPUT_BYTES, truncated: true });
  });

  it('returns an empty record when the platform cannot produce steps', async () => {
    const broken: Platform = {
      name: 'linux',
      diagnosticSteps: () => {
        throw new Error('nope');
      },
      serviceRestartCommand: () => [],
    };
    await expect(collectDiagnostics({ service: 's', pids: [], sinceMs: 0, platform: broken })).resolves.toEqual({});
  });
});
