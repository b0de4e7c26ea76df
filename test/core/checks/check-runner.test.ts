import { afterEach, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../../src-main/shared/contract';
import { CheckRunner, type ScheduledCheck } from '../../../src-main/core/checks/check-runner';
import { runCheck } from '../../../src-main/core/checks/index';
import type { CheckSpec } from '../../../src-main/core/config/schema';
import { waitFor } from '../../helpers/wait';
import { recordingLogger, spec, unvalidatedSpec } from './helpers';

const node = process.execPath;
const scheduled = (name: string, s: CheckSpec): ScheduledCheck => ({ name, service: 'svc', upstream: false, spec: s });
let runner: CheckRunner | undefined;
afterEach(() => runner?.stop());

function collect(r: CheckRunner): Map<string, CheckResult[]> {
  const by = new Map<string, CheckResult[]>();
  r.on('result', (res) => by.set(res.name, [...(by.get(res.name) ?? []), res]));
  return by;
}

describe('CheckRunner', () => {
  it('keeps going when checks fail in every way: malformed JSON, hung, unresolvable, and a good one stays good', async () => {
    const logger = recordingLogger();
    runner = new CheckRunner({
      logger,
      checks: [
        scheduled(
          'malformed',
          // Node takes longer to start than half of a 150 ms interval on a busy machine: a generous forced timeout.
          unvalidatedSpec(
            { type: 'command', command: node, args: ['-e', 'console.log("{oops")'], json: true, interval: 3000 },
            { interval: 150, timeout: 2000 },
          ),
        ),
        scheduled(
          'hung',
          unvalidatedSpec(
            { type: 'command', command: node, args: ['-e', 'setInterval(() => {}, 1000)'], interval: 100 },
            { timeout: 250 },
          ),
        ),
        scheduled(
          'nxdomain',
          unvalidatedSpec(
            { type: 'dns', hostname: 'nonexistent.invalid', interval: 3000 },
            { interval: 150, timeout: 2000 },
          ),
        ),
        scheduled(
          'good',
          unvalidatedSpec(
            { type: 'command', command: node, args: ['-e', ''], interval: 3000 },
            { interval: 150, timeout: 2000 },
          ),
        ),
      ],
    });
    const by = collect(runner);
    runner.start();
    await waitFor(() => ['malformed', 'hung', 'nxdomain', 'good'].every((n) => (by.get(n)?.length ?? 0) >= 2), {
      timeout: 15_000,
      what: 'two rounds of every check',
    });
    expect(by.get('malformed')!.every((r) => !r.ok && r.error!.startsWith('output is not valid JSON'))).toBe(true);
    expect(by.get('hung')!.every((r) => !r.ok && r.error === 'timed out after 250 ms')).toBe(true);
    expect(by.get('nxdomain')!.every((r) => !r.ok && /nonexistent\.invalid|timed out/.test(r.error!))).toBe(true);
    expect(by.get('good')!.every((r) => r.ok)).toBe(true);
    // The hung check (timeout 250 ms) cannot keep up with its 100 ms interval: ticks were skipped, never overlapped.
    expect(runner.skippedTicks('hung')).toBeGreaterThan(0);
  });

  it('retries immediately within the round and fails only when every attempt failed', async () => {
    runner = new CheckRunner({
      logger: recordingLogger(),
      checks: [
        scheduled('flaky', spec({ type: 'command', command: node, args: ['-e', 'process.exit(1)'], retries: 2 })),
      ],
    });
    const [r] = await runner.runAllNow();
    expect(r).toMatchObject({ ok: false, data: { attempts: 3, exit_code: 1 } });
  });

  it('a retry that succeeds makes the round pass', async () => {
    let calls = 0;
    runner = new CheckRunner({
      logger: recordingLogger(),
      checks: [scheduled('second-time', spec({ type: 'tcp', port: 1, retries: 3 }))],
      // A real check whose world changes between attempts: fails once, then runs a passing command check.
      run: (s, ctx) =>
        ++calls === 1 ? runCheck(s, ctx) : runCheck(spec({ type: 'command', command: node, args: ['-e', ''] }), ctx),
    });
    const [r] = await runner.runAllNow();
    expect(calls).toBe(2);
    expect(r).toMatchObject({ ok: true, data: { attempts: 2 } });
  });

  it('enforces the timeout even for a check that ignores its abort signal', async () => {
    runner = new CheckRunner({
      logger: recordingLogger(),
      checks: [scheduled('deaf', spec({ type: 'tcp', port: 1, timeout: 100 }))],
      run: () => new Promise(() => {}),
    });
    const [r] = await runner.runAllNow();
    expect(r).toMatchObject({ ok: false, error: 'timed out after 100 ms', type: 'tcp', name: 'deaf' });
  });

  it('turns a malformed result into a failed one and warns in the log', async () => {
    const logger = recordingLogger();
    runner = new CheckRunner({
      logger,
      checks: [scheduled('weird', spec({ type: 'tcp', port: 1 }))],
      run: async () => ({ ok: 'yes', at: -1 }),
    });
    const [r] = await runner.runAllNow();
    expect(r!.ok).toBe(false);
    expect(r!.error).toMatch(/^malformed check result: .*ok/);
    expect(logger.warnings.some((w) => w.message === 'check weird returned a malformed result')).toBe(true);
  });

  it('turns a thrown error into a failed result', async () => {
    runner = new CheckRunner({
      logger: recordingLogger(),
      checks: [scheduled('boom', unvalidatedSpec({ type: 'process', match: 'x' }, { match: '(' }))],
    });
    const [r] = await runner.runAllNow();
    expect(r!.error).toMatch(/^check failed: match: invalid regular expression/);
  });

  it('runAllNow shares a run already in flight instead of starting a second', async () => {
    let started = 0;
    runner = new CheckRunner({
      logger: recordingLogger(),
      checks: [scheduled('slow', spec({ type: 'command', command: node, args: ['-e', 'setTimeout(() => {}, 200)'] }))],
      run: (s, ctx) => (started++, runCheck(s, ctx)),
    });
    const [a, b] = await Promise.all([runner.runAllNow(), runner.runAllNow()]);
    expect(started).toBe(1);
    expect(a[0]).toBe(b[0]);
  });
});

describe('CheckRunner.stop', () => {
  it('aborts runs in flight and drops their results; a later runAllNow works', async () => {
    const r = new CheckRunner({
      logger: recordingLogger(),
      checks: [
        scheduled(
          'long',
          spec({
            type: 'command',
            command: node,
            args: ['-e', 'setTimeout(() => {}, 3000)'],
            interval: '1h',
            timeout: 5000,
          }),
        ),
      ],
    });
    runner = r;
    const seen: CheckResult[] = [];
    r.on('result', (x) => seen.push(x));
    r.start();
    const inflight = r.runAllNow();
    r.stop();
    expect((await inflight)[0]).toMatchObject({ ok: false, error: 'stopped' });
    expect(seen).toHaveLength(0);
    expect(r.latest().size).toBe(0);
    const quick = new CheckRunner({
      logger: recordingLogger(),
      checks: [scheduled('quick', spec({ type: 'command', command: node, args: ['-e', ''] }))],
    });
    quick.start(); // its first tick starts a run at once …
    quick.stop(); // … which the stop cuts short
    expect((await quick.runAllNow())[0]!.error).toBe('stopped');
    expect((await quick.runAllNow())[0]!.ok).toBe(true);
  });
});
