/** Table tests of the pure parts of the bench and reliability harness: if these lie, every figure lies. */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { percentile, ratio, summarize } from '../../bench/lib/stats';
import { crashLatencies } from '../../bench/scenarios/crash';
import { cpuMs, cpuMsPrecise, parseEnviron, parseStat } from '../../bench/lib/procfs';
import { shellQuote, supervisordConfig } from '../../bench/peers/supervisord';
import { pm2App } from '../../bench/peers/pm2';
import { meets } from '../../bench/lib/scenario';
import { parseArgs } from '../../bench/run';
import { supervisionViolations, type RunRow } from './support/invariants';
import { NAME_VAR } from './support/programs';

describe('stats', () => {
  it.each([
    [[5], 50, 5],
    [[1, 2, 3, 4], 50, 2],
    [[4, 3, 2, 1], 90, 4],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 100, 10],
    [[10, 20], 0, 10],
  ])('percentile(%j, %d) = %d (nearest rank)', (xs, p, want) => expect(percentile(xs, p)).toBe(want));

  it('rejects an empty sample and a bad p', () => {
    expect(() => percentile([], 50)).toThrow(/no samples/);
    expect(() => percentile([1], 101)).toThrow(/0\.\.100/);
  });

  it('summarizes and divides', () => {
    expect(summarize([3, 1, 2])).toEqual({ n: 3, median: 2, p90: 3, p99: 3, max: 3 });
    expect(ratio(1, 4)).toBe(0.25);
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(1, undefined)).toBeNull();
  });

  it('judges targets on medians, and absolute bounds on p99', () => {
    const m = { name: 'x', unit: 'ms', samples: { sentinel: [10, 10, 10], pm2: [30, 30, 30] } };
    expect(meets(m, { peer: 'pm2', maxRatio: 0.5 })).toBe(true);
    expect(meets(m, { peer: 'pm2', maxRatio: 0.2 })).toBe(false);
    expect(meets(m, { peer: 'supervisord', maxRatio: 0.2 })).toBeUndefined();
    expect(meets(m, { maxP99: 10 })).toBe(true);
    expect(meets({ ...m, samples: { sentinel: [1, 200] } }, { maxP99: 100 })).toBe(false);
  });
});

describe('crashLatencies', () => {
  it.each([
    ['start 1 100.000\nexit 1 150.500\nstart 2 151.000\nexit 2 201.000\nstart 3 203.250\n', [0.5, 2.25]],
    // Lines land out of order when two processes append; pairing is by time, and a trailing exit yields nothing.
    ['exit 2 201\nstart 1 100\nstart 3 210\nexit 1 150\nstart 2 160\nexit 3 260\n', [10, 9]],
    ['garbage\nstart 1 5\n', []],
    // The shell crasher writes microseconds.
    ['start 1 1000000us\nexit 1 1050000us\nstart 2 1052500us\n', [2.5]],
  ])('%j → %j', (text, want) => {
    expect(crashLatencies(text).map((x) => Number(x.toFixed(3)))).toEqual(want);
  });
});

describe('/proc parsing', () => {
  it('reads stat fields after a comm with spaces and parentheses', () => {
    const line =
      '4242 (node (worker) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 11 0 12345 1000000 5000 18446744073709551615';
    expect(parseStat(line)).toMatchObject({ state: 'S', ppid: 1, pgrp: 4242, utime: 250, stime: 75, rssPages: 5000 });
  });
  it('splits environ on NUL and keeps "=" inside values', () => {
    expect(parseEnviron(Buffer.from('A=1\0B=x=y\0\0'))).toEqual({ A: '1', B: 'x=y' });
  });

  it('counts CPU time to the sub-tick from schedstat, agreeing with the ticks', async () => {
    // A child that spins 300 ms on its main thread, says so, and then sleeps until killed.
    const child = spawn(
      process.execPath,
      ['-e', 'const t = Date.now(); while (Date.now() - t < 300); console.log("spun"); setInterval(() => {}, 1e6);'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => d.toString().includes('spun') && resolve());
        child.once('exit', (code) => reject(new Error(`the spinner exited ${code}`)));
      });
      const precise = cpuMsPrecise(child.pid!);
      if (precise === undefined) return; // a kernel without schedstat: the bench falls back to ticks
      expect(precise).toBeGreaterThan(250);
      // The ticks charge whole 10 ms periods to whoever runs when they fire: close, not equal.
      expect(Math.abs(precise - cpuMs(child.pid!))).toBeLessThan(60);
      expect(() => cpuMsPrecise(2 ** 22 + 12345)).toThrow(/is gone/);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('peer configs', () => {
  it.each([
    ['plain', 'plain'],
    ['/usr/bin/node', '/usr/bin/node'],
    ['a b', `'a b'`],
    [`it's`, `'it'"'"'s'`],
    ['$HOME', `'$HOME'`],
  ])('shellQuote(%j) = %s', (w, want) => expect(shellQuote(w)).toBe(want));

  it('writes supervisord programs that restart at once, never rotate logs, and escape % and quotes', () => {
    const text = supervisordConfig('/tmp/d', [
      { name: 'p', command: '/bin/sh', args: ['-c', 'echo 100%'], env: { A: 'say "hi"' }, restart: 'always' },
    ]);
    expect(text).toContain(`command=/bin/sh -c 'echo 100%%'`);
    expect(text).toContain('startsecs=0');
    expect(text).toContain('autorestart=true');
    expect(text).toContain('stdout_logfile_maxbytes=0');
    expect(text).toContain('environment=A="say \\"hi\\""');
    expect(text).toContain('nodaemon=true');
  });

  it('runs node scripts under PM2 the way PM2 users do, other commands with interpreter none', () => {
    const js = pm2App(
      { name: 'a', command: process.execPath, args: ['/x/app.mjs', '--v'], env: {}, restart: 'always' },
      '/l',
    );
    expect(js).toMatchObject({
      script: '/x/app.mjs',
      args: ['--v'],
      interpreter: process.execPath,
      restart_delay: 0,
      autorestart: true,
    });
    const bin = pm2App({ name: 'b', command: '/bin/sleep', args: ['9'], env: {}, restart: 'never' }, '/l');
    expect(bin).toMatchObject({ script: '/bin/sleep', interpreter: 'none', autorestart: false });
  });
});

describe('bench argv', () => {
  it('selects scenarios and flags, and names what it expected on a typo', () => {
    expect(parseArgs(['crash', 'idle', '--quick'])).toMatchObject({ scenarios: ['crash', 'idle'], quick: true });
    expect(parseArgs([]).scenarios).toEqual(['crash', 'idle', 'status', 'logs', 'scale', 'store']);
    expect(parseArgs(['--peers=sentinel,pm2']).peers).toEqual(['sentinel', 'pm2']);
    expect(() => parseArgs(['crahs'])).toThrow(/unknown argument "crahs"; scenarios: crash/);
    expect(() => parseArgs(['--peers=runit'])).toThrow(/--peers: unknown runit/);
  });
});

describe('supervisionViolations', () => {
  const child = (pid: number, pgrp: number, name: string) => ({ pid, ppid: 1, pgrp, env: { [NAME_VAR]: name } });
  const runRow = (
    id: number,
    pid: number,
    ended: boolean,
    reason: string | null = ended ? 'exited' : null,
  ): RunRow => ({
    id,
    process: `p${pid}`,
    pid,
    pgid: pid,
    supervisor_pid: 1,
    ended_at: ended ? 1 : null,
    reason,
  });
  const live = (pids: number[]) => (pid: number) => pids.includes(pid);

  it('is empty when every child is accounted for once', () => {
    expect(
      supervisionViolations(
        [child(10, 10, 'a'), child(11, 10, 'a')],
        [runRow(1, 10, false), runRow(2, 9, true)],
        live([10, 11]),
      ),
    ).toEqual([]);
  });
  it.each([
    [
      'duplicated',
      [child(10, 10, 'a'), child(20, 20, 'a')],
      [runRow(1, 10, false), runRow(2, 20, false)],
      /duplicated: "a" runs in 2/,
    ],
    ['orphaned', [child(10, 10, 'a')], [runRow(1, 10, true)], /orphaned: pid 10/],
    ['stale', [], [runRow(1, 30, false)], /stale: run 1 \("p30", pid 30\)/],
    ['unexplained', [], [runRow(1, 10, true, null)], /unexplained: run 1/],
  ])('names a %s child or run', (_kind, children, runs, want) => {
    expect(supervisionViolations(children, runs, live([10, 20])).join('\n')).toMatch(want);
  });
});
