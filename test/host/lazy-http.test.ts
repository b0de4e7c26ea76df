/**
 * The daemon listens on its HTTP port from the start but loads Fastify only when the first request arrives
 * (docs/benchmarks.md, "RSS at rest"): watched from outside with a resolve hook that logs every module the real
 * `sentinel run` loads.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { tempDir } from '../helpers/tmp';
import { waitFor } from '../helpers/wait';
import { CLI_MISSING, Daemon, isolatedEnv } from '../helpers/cli-harness';

const HOOK = fileURLToPath(new URL('./support/log-modules.mjs', import.meta.url));

describe.skipIf(CLI_MISSING)('sentinel run: the HTTP stack loads on first use', () => {
  const tmp = tempDir('sentinel-lazy-http-');
  const log = join(tmp.dir, 'modules.log');
  const configFile = join(tmp.dir, 'sentinel.yaml');
  let daemon: Daemon;
  let windowsUrl: URL;
  const loaded = (pkg: string) => existsSync(log) && readFileSync(log, 'utf8').includes(`/node_modules/${pkg}/`);

  beforeAll(async () => {
    writeFileSync(configFile, stringify({ processes: [{ name: 'idle', command: '/bin/sleep', args: ['1000'] }] }));
    daemon = new Daemon(['--config', configFile, '--data-dir', join(tmp.dir, 'data')], {
      ...isolatedEnv(join(tmp.dir, 'home')),
      NODE_OPTIONS: `--import ${HOOK}`,
      SENTINEL_TEST_MODULE_LOG: log,
    });
    const line = await daemon.ready();
    windowsUrl = new URL(/windows at (\S+)/.exec(line)![1]!);
  });
  afterAll(async () => {
    await daemon.kill('SIGTERM');
    tmp.cleanup();
  });

  it('listens without Fastify, loads it on the first request and answers it', async () => {
    // The hook saw the daemon's own packages (so it works), but nothing of the HTTP stack.
    await waitFor(() => loaded('better-sqlite3'), { timeout: 10_000, what: 'the module log' });
    expect(loaded('fastify')).toBe(false);
    expect(loaded('ws')).toBe(false);
    // Nor the service commands' plist (with its XML DOM): the CLI entry is the daemon's entry too.
    expect(loaded('plist')).toBe(false);

    // Two requests at once while it loads: both wait for the same load and get real answers.
    const token = windowsUrl.searchParams.get('token')!;
    const [health, status] = await Promise.all([
      fetch(new URL('/healthz', windowsUrl)),
      fetch(new URL('/api/status.get', windowsUrl), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      }),
    ]);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('ok\n');
    expect(health.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(status.status).toBe(200);
    expect(((await status.json()) as { result: { processes: unknown[] } }).result.processes).toHaveLength(1);
    expect(loaded('fastify')).toBe(true);
  });
});
