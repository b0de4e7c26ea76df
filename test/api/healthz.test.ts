/**
 * GET /healthz: no token, "ok" or one word, Host checks kept; and the daemon's own liveness through its phases
 * (starting, running, store degraded, stopping) over real HTTP.
 */
import { request } from 'node:http';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Handlers } from '../../src-main/shared/contract';
import { createDispatcher } from '../../src-main/api/dispatch';
import { startHttpServer } from '../../src-main/api/http-server';
import { runDaemon } from '../../src-main/cli/run';
import { liveness } from '../../src-main/core/sentinel/liveness';
import { silentLogger } from '../../src-main/core/util/logger';
import { tempDir } from '../helpers/tmp';

const TOKEN = 'test-token-0123456789abcdef';

/** A GET with a chosen Host header (fetch does not let a test set one). */
function get(url: string, host?: string): Promise<{ status: number; body: string; type: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, headers: host ? { host } : {} }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body, type: String(res.headers['content-type']) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('GET /healthz', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('answers without the token: 200 ok, or 503 and one word; nothing else', async () => {
    let reason: string | null = null;
    const server = await startHttpServer({
      dispatch: createDispatcher({} as Handlers),
      subscribe: () => () => {},
      token: TOKEN,
      liveness: () => {
        if (reason === 'throw') throw new Error('/secret/path exploded');
        return reason;
      },
    });
    cleanups.push(() => server.close());
    const url = `${server.url}healthz`;
    expect(await get(url)).toMatchObject({ status: 200, body: 'ok\n', type: 'text/plain; charset=utf-8' });
    reason = 'store';
    expect(await get(url)).toMatchObject({ status: 503, body: 'store\n' });
    reason = 'throw';
    expect(await get(url)).toMatchObject({ status: 503, body: 'error\n' });
    reason = 'db at /Users/me/Library is gone';
    expect(await get(url)).toMatchObject({ status: 503, body: 'error\n' });
    // The Host check still holds (DNS rebinding): a page on evil.example cannot read it through the browser.
    expect((await get(url, 'evil.example')).status).toBe(401);
  });

  it('is 404 where no liveness is wired', async () => {
    const server = await startHttpServer({
      dispatch: createDispatcher({} as Handlers),
      subscribe: () => () => {},
      token: TOKEN,
    });
    cleanups.push(() => server.close());
    expect((await get(`${server.url}healthz`)).status).toBe(404);
  });

  it('the daemon is ok while supervising, "store" while its store fails, "stopping" once closing', async () => {
    const t = tempDir('sentinel-healthz-');
    cleanups.push(t.cleanup);
    const file = join(t.dir, 'sentinel.yaml');
    writeFileSync(file, 'processes: []\n');
    const daemon = await runDaemon({
      configPath: file,
      dataDir: join(t.dir, 'data'),
      logger: silentLogger,
      staticDir: null,
    });
    cleanups.push(() => daemon.close());
    const url = `${daemon.url}healthz`;
    expect(await get(url)).toMatchObject({ status: 200, body: 'ok\n' });
    daemon.sentinel.supervisor.storeError = 'could not store captured output: SQLITE_FULL';
    expect(await get(url)).toMatchObject({ status: 503, body: 'store\n' });
    daemon.sentinel.supervisor.storeError = null;
    expect(await get(url)).toMatchObject({ status: 200, body: 'ok\n' });
    const closing = daemon.sentinel.close();
    expect(daemon.sentinel.liveness()).toBe('stopping');
    await closing;
  });
});

describe('liveness', () => {
  const base = {
    phase: 'running' as const,
    storeError: null,
    probeStore: () => {},
    lastTickAt: 10_000,
    tickPeriod: 1_000,
    now: 12_000,
  };
  it.each([
    [{}, null],
    [{ phase: 'opened' }, 'starting'],
    [{ phase: 'closing', storeError: 'x' }, 'stopping'],
    [{ storeError: 'disk full' }, 'store'],
    [
      {
        probeStore: () => {
          throw new Error('closed');
        },
      },
      'store',
    ],
    [{ now: 14_000 }, null],
    [{ now: 14_001 }, 'stalled'],
  ] as const)('%o → %s', (patch, expected) => {
    expect(liveness({ ...base, ...(patch as object) })).toBe(expected);
  });
});
