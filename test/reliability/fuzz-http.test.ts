/**
 * Fuzzing the HTTP API (fast-check, fixed seed, bounded runs) of the real `sentinel run`: random channels,
 * bodies, content types, tokens, Host and Origin headers. Every bad request gets a 4xx with an error body
 * naming the problem — never a 5xx, never a hang — and the supervisor is still up at the end.
 */
import fc from 'fast-check';
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../src-main/shared/contract';
import { killMarked } from '../../bench/lib/procfs';
import { tempDir } from '../helpers/tmp';
import { apiInfo } from '../helpers/cli-harness';
import { CLI_MISSING, SentinelDaemon } from './support/daemon';
import { sh } from './support/programs';

const SEED = 20261123;
const RUNS = Number(process.env.RELI_FUZZ_RUNS ?? '300');
const mark = `fuzzhttp-${process.pid}`;

interface Answer {
  status: number;
  body: string;
}

/** One raw HTTP request with exactly the headers given (node:http, so Host and Origin can be anything). */
function send(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string | Buffer,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, timeout: 10_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within 10 s to ${method} ${path}`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * A request whose body the server may refuse before reading it all: the server answers (413) and closes while we
 * are still writing, so EPIPE or ECONNRESET on the write is the expected path, not a failure. Over a raw socket,
 * because node:http reports the write error instead of the answer that arrived first.
 */
function sendRefusable(port: number, path: string, headers: Record<string, string>, body: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error(`no answer within 10 s to POST ${path}`)), 10_000);
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && err.code !== 'ECONNRESET') {
        clearTimeout(timer);
        reject(err);
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (!m) return reject(new Error(`no HTTP answer to POST ${path} (got ${JSON.stringify(text.slice(0, 80))})`));
      resolve({ status: Number(m[1]), body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
    const head = Object.entries({ ...headers, 'content-length': String(body.length), connection: 'close' })
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    socket.write(`POST ${path} HTTP/1.1\r\n${head}\r\n`);
    socket.end(body);
  });
}

const errorBody = (a: Answer) => {
  const j = JSON.parse(a.body) as { ok?: boolean; error?: { code?: string; message?: string } };
  return j.ok === false && typeof j.error?.code === 'string' && (j.error.message ?? '').length > 0;
};

describe.skipIf(CLI_MISSING)('HTTP API under fuzz', () => {
  const tmp = tempDir('sentinel-reli-fuzzhttp-');
  const daemon = new SentinelDaemon(tmp.dir, { processes: [sh(mark, 'idle', 'exec sleep 100000')] });
  let port = 0;
  let token = '';
  let host = '';

  beforeAll(async () => {
    killMarked(mark);
    await daemon.start();
    const info = apiInfo(daemon.dataDir);
    token = info.token;
    port = Number(new URL(info.url).port);
    host = `127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await daemon.stop(10_000);
    killMarked(mark);
    tmp.cleanup();
  });

  it('refuses requests without the token, from a foreign Host or Origin', async () => {
    const header = fc.record(
      {
        authorization: fc.oneof(
          fc.string({ maxLength: 80 }).map((s) => `Bearer ${s}`),
          fc.string({ maxLength: 80 }),
        ),
        host: fc.oneof(fc.constant(host), fc.domain(), fc.constant('localhost'), fc.constant(`127.0.0.1:${port + 1}`)),
        origin: fc.oneof(fc.webUrl(), fc.constant('null')),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(header, fc.constantFrom(...CHANNELS), async (h, channel) => {
        const a = await send(port, 'POST', `/api/${channel}`, { 'content-type': 'application/json', ...h }, '{}');
        expect(a.status, JSON.stringify({ h, a })).toBeGreaterThanOrEqual(400);
        expect(a.status, JSON.stringify({ h, a })).toBeLessThan(500);
        expect(errorBody(a), a.body).toBe(true);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('answers authorized requests with any channel, body and content type without a 5xx', async () => {
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc
        .record(
          {
            limit: fc.integer(),
            offset: fc.integer(),
            name: fc.string({ maxLength: 70 }),
            yaml: fc.string({ maxLength: 200 }),
          },
          { requiredKeys: [] },
        )
        .map((v) => JSON.stringify(v)),
    );
    const type = fc.constantFrom(
      'application/json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=latin1',
      'multipart/form-data',
    );
    const channel = fc.oneof(fc.constantFrom(...CHANNELS), fc.string({ maxLength: 40 }).map(encodeURIComponent));
    await fc.assert(
      fc.asyncProperty(channel, body, type, async (ch, b, t) => {
        // Channels that stop or reconfigure would change the target mid-run; their inputs are fuzzed over the socket.
        fc.pre(!/^(processes\.(stop|restart)|config\.apply|services\.restart|settings\.set)$/.test(ch));
        const a = await send(
          port,
          'POST',
          `/api/${ch}`,
          { host, authorization: `Bearer ${token}`, 'content-type': t },
          b,
        );
        expect(a.status, JSON.stringify({ ch, b, t, a })).toBeLessThan(500);
        if (a.status >= 400) expect(errorBody(a), JSON.stringify({ ch, b, t, a })).toBe(true);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('answers random paths and methods without a 5xx, and refuses a 3 MB body', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'),
        fc.webPath(),
        async (method, path) => {
          const a = await send(port, method, path || '/', { host, authorization: `Bearer ${token}` });
          expect(a.status, JSON.stringify({ method, path, a: a.status })).toBeLessThan(500);
        },
      ),
      { seed: SEED, numRuns: Math.ceil(RUNS / 3) },
    );
    const big = await sendRefusable(
      port,
      '/api/status.get',
      { host, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      Buffer.alloc(3 * 1024 * 1024, 0x20),
    );
    expect(big.status).toBeGreaterThanOrEqual(400);
    expect(big.status).toBeLessThan(500);
    expect(big.body).toMatch(/too large/);
    daemon.assertAlive();
    const status = await daemon.cli('status', '--json');
    expect(status.code, status.stderr).toBe(0);
  });
});
