/**
 * Fuzzing the daemon's socket protocol (fast-check, fixed seed, bounded runs) against the real `sentinel run`:
 * every line that is not a valid, authorized request is answered with an error; valid ones with a reply; the
 * supervisor never crashes and still answers `status` afterwards.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../src-main/shared/contract';
import { killMarked } from '../../bench/lib/procfs';
import { tempDir } from '../helpers/tmp';
import { CLI_MISSING, SentinelDaemon } from './support/daemon';
import { RawSocket } from './support/ndjson';
import { sh } from './support/programs';

const SEED = 20261123;
const RUNS = Number(process.env.RELI_FUZZ_RUNS ?? '300');
const mark = `fuzzsock-${process.pid}`;

interface Reply {
  id: string | number | null;
  ok: boolean;
  error?: { code: string; message: string };
}

describe.skipIf(CLI_MISSING)('socket protocol under fuzz', () => {
  const tmp = tempDir('sentinel-reli-fuzzsock-');
  const daemon = new SentinelDaemon(tmp.dir, { processes: [sh(mark, 'idle', 'exec sleep 100000')] });
  let token = '';
  let sock: RawSocket;

  beforeAll(async () => {
    killMarked(mark);
    await daemon.start();
    token = (JSON.parse(readFileSync(join(daemon.dataDir, 'api.json'), 'utf8')) as { token: string }).token;
    sock = await RawSocket.open(join(daemon.dataDir, 'sentinel.sock'));
  });
  afterAll(async () => {
    sock?.close();
    await daemon.stop(10_000);
    killMarked(mark);
    tmp.cleanup();
  });

  /** Sends one line and returns its reply; the connection must stay usable. */
  const ask = async (line: string): Promise<Reply> => {
    sock.send(`${line}\n`);
    return (await sock.next()) as Reply;
  };
  const isError = (r: Reply) => r.ok === false && typeof r.error?.code === 'string' && r.error.message.length > 0;

  it('answers lines that are not JSON objects with bad_request', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }).filter((s) => !s.includes('\n') && s.trim() !== ''),
        async (line) => {
          let json: unknown;
          try {
            json = JSON.parse(line);
          } catch {
            json = undefined;
          }
          fc.pre(json === undefined || typeof json !== 'object' || json === null);
          const r = await ask(line);
          expect(isError(r), JSON.stringify(r)).toBe(true);
          expect(r.error!.code).toBe('bad_request');
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('answers malformed and unauthorized requests with an error naming the problem', async () => {
    const request = fc.record(
      {
        id: fc.oneof(fc.integer(), fc.string({ maxLength: 80 }), fc.constant(null), fc.double()),
        token: fc.oneof(fc.string({ maxLength: 70 }), fc.integer()),
        channel: fc.oneof(fc.constantFrom(...CHANNELS), fc.string({ maxLength: 30 })),
        input: fc.jsonValue({ maxDepth: 3 }),
        subscribe: fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }),
        extra: fc.jsonValue({ maxDepth: 1 }),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const r = await ask(JSON.stringify(req));
        // A random token is never the daemon's, so nothing here may succeed.
        expect(isError(r), JSON.stringify({ req, r })).toBe(true);
        expect(['bad_request', 'unauthorized']).toContain(r.error!.code);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('answers authorized requests with random inputs on every channel, validating them', async () => {
    // Mutating channels would change what the rest of the run fuzzes against; their inputs are still validated.
    const input = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.constant(undefined),
      fc.record(
        { limit: fc.integer(), offset: fc.integer(), name: fc.string({ maxLength: 70 }) },
        { requiredKeys: [] },
      ),
    );
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1e9 }),
        fc.constantFrom(...CHANNELS),
        input,
        async (id, channel, inp) => {
          fc.pre(
            !/^(processes\.(stop|restart)|config\.apply|services\.restart|settings\.set)$/.test(channel) ||
              typeof inp !== 'object' ||
              inp === null ||
              Array.isArray(inp),
          );
          const r = await ask(JSON.stringify({ id, token, channel, input: inp }));
          expect(r.id, JSON.stringify({ channel, inp, r })).toBe(id);
          if (!r.ok) expect(isError(r), JSON.stringify({ channel, inp, r })).toBe(true);
          // "internal" means a handler threw on input the schema let through: a bug, not an answer.
          if (!r.ok) expect(r.error!.code, JSON.stringify({ channel, inp, r })).not.toBe('internal');
          answered++;
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    expect(answered).toBeGreaterThan(RUNS / 4);
  });

  it.each([
    ['YAML syntax', 'processes: [\n'],
    ['an unknown key', 'processes: [{name: a, command: x, restat: {}}]\n'],
    [
      'an alias bomb',
      Array.from({ length: 6 }, (_, i) =>
        i === 0
          ? 'a0: &a0 [x, x, x, x, x, x, x, x, x]'
          : `a${i}: &a${i} [${Array(9)
              .fill(`*a${i - 1}`)
              .join(', ')}]`,
      ).join('\n'),
    ],
  ])('rejects config.apply with %s as bad_request, not internal', async (_what, yaml) => {
    const r = await ask(JSON.stringify({ id: 7, token, channel: 'config.apply', input: { yaml, dry_run: true } }));
    expect(isError(r), JSON.stringify(r)).toBe(true);
    expect(r.error!.code, r.error!.message).toBe('bad_request');
  });

  it('drops a line over the size limit with an error and keeps serving others', async () => {
    const big = await RawSocket.open(join(daemon.dataDir, 'sentinel.sock'));
    try {
      big.send(Buffer.alloc(5 * 1024 * 1024, 0x61));
      const r = (await big.next(15_000)) as Reply;
      expect(isError(r)).toBe(true);
      expect(r.error!.message).toMatch(/too long/);
    } finally {
      big.close();
    }
    const status = await daemon.cli('status', '--json');
    expect(status.code, status.stderr).toBe(0);
    expect(daemon.running).toBe(true);
  });
});
