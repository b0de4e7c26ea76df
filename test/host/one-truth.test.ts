/**
 * One truth per fact, through the real daemon: dry run set at runtime is persisted and obeyed by recovery and
 * limits (across a restart too); the colour pushed in status.changed is the colour status.get answers, store
 * degraded included.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OverallStatus, Snapshot } from '../../src-main/shared/contract';
import { SocketClient } from '../../src-main/api/socket-client';
import { exited } from '../../bench/lib/exec';
import { killMarked, MARK_VAR } from '../../bench/lib/procfs';
import { tempDir } from '../helpers/tmp';
import { waitFor } from '../helpers/wait';
import { cli, CLI_MISSING, Daemon, httpApi, isolatedEnv } from '../helpers/cli-harness';

const mark = `one-truth-${process.pid}`;
const env = { [MARK_VAR]: mark };

describe.skipIf(CLI_MISSING)('one truth per fact', () => {
  let tmp: ReturnType<typeof tempDir>;
  let dataDir: string;
  let configFile: string;
  let e: NodeJS.ProcessEnv;
  const daemons: Daemon[] = [];
  const start = async (config: unknown) => {
    writeFileSync(configFile, stringify(config));
    const d = new Daemon(['--config', configFile, '--data-dir', dataDir], e);
    daemons.push(d);
    await d.ready();
    return d;
  };
  const api = <T>(channel: string, input: unknown = {}) => httpApi<T>(dataDir, channel, input);

  beforeEach(() => {
    tmp = tempDir('sentinel-truth-');
    dataDir = join(tmp.dir, 'data');
    configFile = join(tmp.dir, 'sentinel.yaml');
    e = isolatedEnv(join(tmp.dir, 'home'));
  });
  afterEach(async () => {
    for (const d of daemons.splice(0))
      if (d.child.exitCode === null && d.child.signalCode === null) await d.kill('SIGKILL');
    killMarked(mark);
    tmp.cleanup();
  });

  it('dry run switched on at runtime is persisted, and recovery and limits obey it', async () => {
    // Neither recovery nor the limit can act before dry run is on: the check fails only once `broken` exists and
    // the limited process starts only when asked, so nothing races the switch below. Dry run is off in the config.
    const broken = join(tmp.dir, 'broken');
    const config = {
      settings: { dry_run: false },
      processes: [
        // Fails its check once `broken` exists: recovery would restart it.
        {
          name: 'hung',
          command: 'sleep',
          args: ['300'],
          env,
          checks: [{ type: 'command', command: 'test', args: ['!', '-e', broken], interval: '200ms' }],
        },
        // Over its memory limit as soon as it runs: limits would restart it.
        {
          name: 'fat',
          command: 'sleep',
          args: ['300'],
          env,
          autostart: false,
          limits: { memory: '1KB', for: '0s', sample_interval: '200ms', action: 'restart' },
        },
      ],
    };
    let d = await start(config);
    expect((await api<Snapshot>('status.get')).dry_run).toBe(false);
    expect(await api<{ dry_run: boolean }>('settings.set', { dry_run: true })).toMatchObject({ dry_run: true });
    // Only now can either act.
    expect(await api<{ affected: string[] }>('processes.start', { name: 'fat' })).toEqual({ affected: ['fat'] });
    writeFileSync(broken, '');
    const pids = async () => {
      const s = await api<Snapshot>('status.get');
      return Object.fromEntries(s.processes.map((p) => [p.name, p.pid]));
    };
    const before = await pids();
    expect(before.fat).toEqual(expect.any(Number));
    await waitFor(
      async () => {
        const r = await cli(['failures', '--json', '--data-dir', dataDir], e);
        return r.code === 0 && /"outcome": "dry run"/.test(r.stdout);
      },
      { timeout: 30_000, what: 'recovery to say what it would do' },
    );
    await waitFor(
      () => readFileSync(join(dataDir, 'logs', 'sentinel.log'), 'utf8').includes('"fat": dry run, would restart'),
      {
        timeout: 20_000,
        what: 'the limit to say what it would do',
      },
    );
    expect(await pids()).toEqual(before);
    const snapshot = await api<Snapshot>('status.get');
    expect(snapshot.processes.map((p) => [p.name, p.restarts])).toEqual([
      ['hung', 0],
      ['fat', 0],
    ]);

    // The runtime value survives a restart of the daemon and still wins over the config (dry_run: false).
    await d.kill('SIGTERM');
    d = await start(config);
    expect((await api<Snapshot>('status.get')).dry_run).toBe(true);
    expect(await api<{ dry_run: boolean }>('settings.get')).toMatchObject({ dry_run: true });
  }, 120_000);

  it('status.changed pushes the colour status.get answers, store degraded included', async () => {
    await start({
      processes: [
        // Stays up (green) and prints a line every 0.1 s: every batch of its output is a store write. (A crasher
        // would spend its time in backoff, yellow for its own reason, and hide the store's.)
        {
          name: 'chatter',
          command: '/bin/sh',
          args: ['-c', 'while true; do echo tick; sleep 0.1; done'],
          env,
        },
      ],
    });
    const client = await SocketClient.connect(dataDir);
    const pushed: OverallStatus[] = [];
    await client.subscribe(['status.changed'], (_e, s) => pushed.push(s));
    try {
      // Another process holds the store's write lock: the daemon's writes fail after their busy timeout.
      const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
      const holder = spawn(
        process.execPath,
        [
          '-e',
          `const D = require(${JSON.stringify(sqlite)}); const db = new D(process.argv[1]); db.exec('BEGIN IMMEDIATE'); console.log('held'); setInterval(() => {}, 1000);`,
          join(dataDir, 'sentinel.db'),
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      try {
        await waitFor(() => pushed.some((s) => s.status === 'yellow' && /store degraded/.test(s.reason)), {
          timeout: 60_000,
          what: 'a pushed yellow "store degraded"',
        });
        const asked = await client.request('status.get', {});
        expect(asked.overall.status).toBe('yellow');
        expect(asked.overall.reason).toBe(pushed.at(-1)!.reason);
      } finally {
        holder.kill('SIGKILL');
        await exited(holder);
      }
      await waitFor(() => pushed.at(-1)?.status === 'green', {
        timeout: 60_000,
        what: 'a pushed green once writes work',
      });
      expect((await client.request('status.get', {})).overall.status).toBe('green');
    } finally {
      client.close();
    }
  }, 180_000);
});
