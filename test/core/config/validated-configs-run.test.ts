/**
 * Property: every config that validates starts and stops cleanly. Configs are drawn from values near the edges
 * of validation (cron ranges, zones, intervals, timeouts, Unicode names, restart policies, schedules, checks);
 * those the schema refuses are skipped, each accepted one runs in a real Sentinel core with real children, is
 * closed, and must leave no child behind.
 */
import fc from 'fast-check';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killMarked, MARK_VAR, markedPids } from '../../../bench/lib/procfs';
import { ConfigSchema, startsAtLoad } from '../../../src-main/core/config/schema';
import { Sentinel } from '../../../src-main/core/sentinel';
import { silentLogger } from '../../../src-main/core/util/logger';
import { tempDir } from '../../helpers/tmp';
import { waitFor } from '../../helpers/wait';

const mark = `validated-run-${process.pid}`;

/** Mostly valid values, sometimes one validation must refuse: both sides get reached. */
const mostly = <T>(valid: T[], invalid: T[]) =>
  fc.oneof({ arbitrary: fc.constantFrom(...valid), weight: 12 }, { arbitrary: fc.constantFrom(...invalid), weight: 1 });

const name = fc.stringMatching(/^[a-zäöü日本][a-z0-9äöü_.-]{0,8}$/);
const script = fc.constantFrom('sleep 30', 'exit 1', 'echo hi; exit 0', 'sleep 0.3; exit 2', 'trap "" TERM; sleep 30');
const duration = mostly<string | number>([0, '10ms', '200ms', '1s', '1h30m'], ['soon', -5]);
const interval = mostly<string | number>(['1s', '10s', '1m'], [0, '500ms']);
const timeout = mostly<string | number>(['100ms', '500ms'], [0, '50ms', '10m']);
const cron = mostly(['0 3 * * *', '*/5 * * * * *', '0 9-17 * * MON-FRI'], ['99 * * * *', '0 0 31 2 *', 'x']);
const zone = mostly([undefined, 'UTC', 'Europe/Berlin'], ['Mars/Olympus']);
const url = mostly(['http://127.0.0.1:9/health', 'https://[::1]:9/'], ['localhost:8080', 'ftp://x/']);
const every = mostly<string | number>(['1s', '1h'], [0, '10ms']);

const schedule = fc.oneof(
  fc.record({ cron, timezone: zone, run_at_load: fc.boolean() }, { requiredKeys: ['cron'] }),
  fc.record({ every, run_at_load: fc.boolean() }),
);
const check = fc.oneof(
  fc.record({ type: fc.constant('http'), url, interval, timeout }, { requiredKeys: ['type', 'url'] }),
  fc.record({ type: fc.constant('tcp'), port: mostly([22, 8080, 65535], [0, 70_000]), interval }),
  fc.record({ type: fc.constant('process') }),
);
const processSpec = (n: string) =>
  fc.record(
    {
      name: fc.constant(n),
      command: fc.constant('/bin/sh'),
      args: script.map((s) => ['-c', s]),
      env: fc.constant({ [MARK_VAR]: mark }),
      autostart: fc.boolean(),
      restart: fc.record(
        {
          policy: fc.constantFrom('always', 'on-failure', 'never'),
          give_up: fc.constantFrom('window', 'startup', 'never'),
          delay: duration,
          max_retries: mostly([0, 1, 3], [-1]),
          start_secs: duration,
        },
        { requiredKeys: [] },
      ),
      stop: fc.record({
        signal: mostly(['TERM', 'SIGINT', 'HUP'], ['SIGFOO']),
        timeout: fc.constantFrom('300ms', '1s'),
      }),
      schedule: fc.option(schedule, { nil: undefined }),
      checks: fc.array(check, { maxLength: 2 }),
    },
    { requiredKeys: ['name', 'command', 'args', 'env', 'stop', 'checks'] },
  );
const config = fc
  .uniqueArray(name, { minLength: 1, maxLength: 3, selector: (n) => n.normalize('NFC') })
  .chain((names) => fc.tuple(...names.map(processSpec)))
  .map((processes) => ({ processes }));

describe('every config that validates starts and stops cleanly', () => {
  const tmp = tempDir('sentinel-prop-');
  afterAll(() => {
    killMarked(mark);
    tmp.cleanup();
  });
  let run = 0;
  const seen = { valid: 0, refused: 0 };

  it('a schedule due while the supervisor stops its processes starts nothing (found by the property)', async () => {
    const parsed = ConfigSchema.parse({
      processes: [
        // Ignores SIGTERM: the shutdown waits its full stop timeout …
        {
          name: 'slow',
          command: '/bin/sh',
          args: ['-c', 'trap "" TERM; sleep 30'],
          env: { [MARK_VAR]: mark },
          stop: { timeout: '1500ms' },
        },
        // … while this schedule comes due.
        {
          name: 'tick',
          command: '/bin/sh',
          args: ['-c', 'sleep 30'],
          env: { [MARK_VAR]: mark },
          schedule: { every: '1s' },
        },
      ],
    });
    const core = await Sentinel.open({
      config: parsed,
      configPath: null,
      dataDir: join(tmp.dir, 'due'),
      logger: silentLogger,
    });
    await core.start();
    await waitFor(() => core.supervisor.info('slow').state === 'running', { timeout: 5_000, what: 'slow running' });
    await core.close();
    expect(markedPids(mark)).toEqual([]);
  }, 20_000);

  it('holds for generated configs', async () => {
    await fc.assert(
      fc.asyncProperty(config, async (raw) => {
        const parsed = ConfigSchema.safeParse(raw);
        if (!parsed.success) {
          seen.refused++;
          // A refusal always names where: no issue without a path into the config.
          expect(parsed.error.issues.every((i) => i.path.length > 0)).toBe(true);
          return;
        }
        seen.valid++;
        const core = await Sentinel.open({
          config: parsed.data,
          configPath: null,
          dataDir: join(tmp.dir, String(run++)),
          logger: silentLogger,
        });
        await core.start();
        // Every process that starts at load has been spawned at least once.
        await waitFor(
          () =>
            parsed.data.processes.every((p) => !startsAtLoad(p) || core.supervisor.info(p.name).state !== 'stopped'),
          { timeout: 5_000, what: 'autostart processes to start' },
        );
        await core.close();
        const left = markedPids(mark);
        killMarked(mark); // a leftover fails this run only, not every run after it
        expect(left, JSON.stringify(raw)).toEqual([]);
      }),
      { numRuns: 25, seed: 1313 },
    );
    // The generator reaches both sides of validation.
    expect(seen.valid).toBeGreaterThan(3);
    expect(seen.refused).toBeGreaterThan(3);
  }, 120_000);
});
