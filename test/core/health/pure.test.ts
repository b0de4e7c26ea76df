import { describe, expect, it } from 'vitest';
import {
  mayRestart,
  pruneHistory,
  recoveryDelay,
  restartsInLastHour,
} from '../../../src-main/core/health/restart-budget';
import { isInstalled, tickInterval, watchPlan } from '../../../src-main/core/health/services';
import { sleptBetween } from '../../../src-main/core/health/wake';
import { ConfigSchema } from '../../../src-main/core/config/schema';

describe('recoveryDelay', () => {
  const p = { delay: 5_000, backoff: 2, max_delay: 30_000 };
  it.each([
    [1, 5_000],
    [2, 10_000],
    [3, 20_000],
    [4, 30_000],
    [9, 30_000],
  ])('attempt %i waits %i ms', (attempt, ms) => expect(recoveryDelay(attempt, p)).toBe(ms));
  it('backoff 1 is a fixed delay', () => expect(recoveryDelay(5, { ...p, backoff: 1 })).toBe(5_000));
});

describe('restart budget (max_per_hour)', () => {
  const now = 10_000_000;
  const history = [now - 3_700_000, now - 3_000_000, now - 60_000, now];
  it('counts only the last hour', () => expect(restartsInLastHour(history, now)).toBe(3));
  it.each([
    [3, false],
    [4, true],
    [0, false],
  ])('max_per_hour %i → may restart: %s', (max, ok) => expect(mayRestart(history, now, max)).toBe(ok));
  it('prunes what no longer counts', () => expect(pruneHistory(history, now)).toEqual(history.slice(1)));
});

describe('sleptBetween', () => {
  it.each([
    ['steady ticks', { wall: 0, mono: 0 }, { wall: 1000, mono: 1000 }, null],
    ['event-loop lag moves both clocks', { wall: 0, mono: 0 }, { wall: 9000, mono: 9000 }, null],
    ['wall jumps, monotonic does not: a sleep', { wall: 0, mono: 0 }, { wall: 601_000, mono: 1000 }, 600_000],
    ['a jump of exactly 2 intervals is not yet a sleep', { wall: 0, mono: 0 }, { wall: 3000, mono: 1000 }, null],
  ])('%s', (_w, prev, cur, slept) => expect(sleptBetween(prev, cur, 1000)).toBe(slept));
});

describe('watchPlan', () => {
  const config = ConfigSchema.parse({
    settings: { upstream: [{ type: 'internet' }, { type: 'dns', hostname: 'example.com' }] },
    processes: [
      {
        name: 'api',
        command: 'node',
        checks: [
          { type: 'process' },
          { type: 'http', url: 'http://127.0.0.1:1/', interval: '5s' },
          { type: 'http', url: 'http://127.0.0.1:2/' },
        ],
      },
      { name: 'worker', command: 'node' },
    ],
    services: [
      {
        name: 'netbird',
        process: { name: 'netbird' },
        restart: ['netbird', 'service', 'restart'],
        checks: [
          { type: 'netbird', interval: '10s' },
          { type: 'dns', hostname: 'peer.netbird.cloud', upstream: true },
        ],
      },
    ],
  });
  const plan = watchPlan(config);
  it('names checks uniquely and moves upstream checks out of services', () => {
    expect(plan.upstream.map((c) => c.name)).toEqual(['upstream:internet', 'upstream:dns', 'netbird:dns']);
    expect(plan.upstream.every((c) => c.upstream && c.service === null)).toBe(true);
    const byName = Object.fromEntries(plan.services.map((s) => [s.name, s.checks.map((c) => c.name)]));
    expect(byName).toEqual({
      netbird: ['netbird:process', 'netbird:netbird'],
      api: ['api:process', 'api:http', 'api:http#2'],
      worker: [],
    });
  });
  it('a service process becomes a process check anchored on the executable name', () => {
    const proc = plan.services[0]!.checks[0]!.spec;
    expect(proc).toMatchObject({ type: 'process', match: '(^|/)netbird(\\s|$)', interval: 10_000 });
    const re = new RegExp((proc as { match: string }).match);
    expect(re.test('/usr/local/bin/netbird service run')).toBe(true);
    expect(re.test('vim netbird.yaml')).toBe(false);
  });
  it('a process check on a supervised process without a target means that process', () => {
    expect(plan.services.find((s) => s.name === 'api')!.checks[0]!.spec).toMatchObject({
      type: 'process',
      process: 'api',
    });
  });
  it('ticks as often as the fastest check, at most once a second', () => expect(tickInterval(plan)).toBe(1000));
});

describe('isInstalled', () => {
  it.each([
    [undefined, true],
    ['node', true],
    ['sentinel-surely-not-installed', false],
    ['/', true],
    ['/no/such/App.app', false],
  ])('%s → %s', (cond, installed) => expect(isInstalled(cond, process.env.PATH)).toBe(installed));
});

describe('runRestartCommand', () => {
  it('returns when the command exits even if a daemon it started keeps its stderr open', async () => {
    const { runRestartCommand } = await import('../../../src-main/core/health/run-restart');
    const script =
      "require('child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 5000)'], { detached: true, stdio: ['ignore', 'ignore', 'inherit'] }).unref(); console.error('started')";
    const r = await runRestartCommand([process.execPath, '-e', script], { timeoutMs: 4000 });
    // Waiting for the pipes would last as long as the daemon (5 s) and hit the 4 s timeout.
    expect(r).toMatchObject({ code: 0, timedOut: false, stderr: 'started\n' });
  });
  it('reports a missing command and a non-zero exit', async () => {
    const { runRestartCommand } = await import('../../../src-main/core/health/run-restart');
    expect((await runRestartCommand(['sentinel-no-such-tool'], { timeoutMs: 1000 })).spawnError).toBe(
      'sentinel-no-such-tool: command not found',
    );
    expect(
      await runRestartCommand([process.execPath, '-e', 'console.error("nope"); process.exit(4)'], { timeoutMs: 2000 }),
    ).toMatchObject({ code: 4, stderr: 'nope\n' });
  });
});
