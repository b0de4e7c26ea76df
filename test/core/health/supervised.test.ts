import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProcessInfo, ProcessState } from '../../../src-main/shared/contract';
import { ConfigSchema } from '../../../src-main/core/config/schema';
import { HealthMonitor, type HealthSupervisor } from '../../../src-main/core/health/monitor';
import { openDb, type Db } from '../../../src-main/core/store/db';
import { FailuresRepo } from '../../../src-main/core/store/failures-repo';
import { tempDir } from '../../helpers/tmp';
import { waitFor } from '../../helpers/wait';
import { recordingLogger } from '../checks/helpers';
import { freePort } from '../../helpers/net';
import { processInfo } from '../../helpers/process-info';

/**
 * The smallest real process owner the monitor can talk to: each (re)start spawns the next argv of a list, so a
 * test can start a process that hangs and have the restart bring up one that works.
 */
class TinySupervisor implements HealthSupervisor {
  child?: ChildProcess;
  private current: ProcessState = 'stopped';
  private readonly changes = new EventEmitter<{ changed: [string] }>();
  get state(): ProcessState {
    return this.current;
  }
  /** Like the real supervisor, a state change is an event the monitor reacts to (it does not poll). */
  set state(s: ProcessState) {
    this.current = s;
    this.changes.emit('changed', 'job');
  }
  onChange(listener: (name: string) => void): () => void {
    this.changes.on('changed', listener);
    return () => void this.changes.off('changed', listener);
  }
  restarts = 0;
  private startedAt: number | null = null;
  constructor(private readonly argvs: string[][]) {}
  start(): void {
    const argv = this.argvs[Math.min(this.restarts, this.argvs.length - 1)]!;
    this.child = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore' });
    this.startedAt = Date.now();
    this.state = 'running';
  }
  async restart(): Promise<void> {
    const old = this.child;
    if (old && old.exitCode === null) await new Promise((r) => (old.once('exit', r), old.kill('SIGKILL')));
    this.restarts++;
    this.start();
  }
  pidOf(): number | null {
    return this.state === 'running' ? (this.child?.pid ?? null) : null;
  }
  info(name: string): ProcessInfo | undefined {
    return processInfo({
      name,
      state: this.state,
      pid: this.pidOf(),
      started_at: this.state === 'running' ? this.startedAt : null,
      uptime_ms: null,
      restarts: this.restarts,
    });
  }
  stop(): void {
    this.child?.kill('SIGKILL');
  }
}

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.reverse()) c();
  cleanups = [];
});

function open(): Db {
  const t = tempDir();
  const db = openDb(join(t.dir, 'sentinel.db'));
  cleanups.push(t.cleanup, () => db.close());
  return db;
}

describe('HealthMonitor with supervised processes', () => {
  it('a hung supervised process (running, checks failing) is restarted through the supervisor and goes green', async () => {
    const db = open();
    const port = await freePort();
    const service = join(__dirname, 'fixtures', 'web-service.mjs');
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const supervisor = new TinySupervisor([
      [process.execPath, '-e', 'setInterval(() => {}, 1000)'],
      [process.execPath, service, 'api', String(port), String(await freePort()), join(dir, 'pid')],
    ]);
    supervisor.start();
    const monitor = new HealthMonitor({
      db,
      supervisor,
      logger: recordingLogger(),
      config: ConfigSchema.parse({
        processes: [
          {
            name: 'api',
            command: 'node',
            checks: [{ type: 'http', url: `http://127.0.0.1:${port}/`, interval: 200, timeout: 190 }],
          },
        ],
      }),
    });
    cleanups.push(
      () => supervisor.stop(),
      () => monitor.stop(),
    );
    const outcomes: string[] = [];
    monitor.on('failure.updated', (f) => outcomes.push(f.outcome ?? ''));
    monitor.start();
    await waitFor(() => outcomes.includes('recovered after restart'), {
      timeout: 15_000,
      what: 'recovery through the supervisor',
    });
    await waitFor(() => monitor.status().services[0]!.status === 'green', { timeout: 5000, what: 'api green' });
    expect(supervisor.restarts).toBe(1);
    const repo = new FailuresRepo(db);
    const f = repo.get(repo.list().items[0]!.id)!;
    expect(f).toMatchObject({ service: 'api', kind: 'hung', restart_attempted: true, restart_successful: true });
    expect(f.timeline.find((t) => t.event === 'restart attempt 1')!.detail).toBe('restart process api');
    await monitor.idle();
  });

  it("a person's restart is no failure: the slow start after it draws no incident and no recovery; a later hang does", async () => {
    const db = open();
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const ready = join(dir, 'ready');
    // Ready at once on its first start, 3 s late after a restart (red meanwhile: fail_rounds 2 at 400 ms).
    const supervisor = new TinySupervisor([
      ['/bin/sh', '-c', `touch ${ready}; exec sleep 300`],
      ['/bin/sh', '-c', `sleep 3; touch ${ready}; exec sleep 300`],
    ]);
    supervisor.start();
    const monitor = new HealthMonitor({
      db,
      supervisor,
      logger: recordingLogger(),
      config: ConfigSchema.parse({
        processes: [
          {
            name: 'job',
            command: '/bin/sh',
            checks: [{ type: 'command', command: 'test', args: ['-e', ready], interval: 400, timeout: 390 }],
          },
        ],
      }),
    });
    cleanups.push(
      () => supervisor.stop(),
      () => monitor.stop(),
    );
    const created: string[] = [];
    const colours: string[] = [];
    monitor.on('failure.created', (f) => created.push(f.kind));
    monitor.on('status.changed', (s) => colours.push(s.services[0]!.status));
    monitor.start();
    // Green on a check result: before the first one a process is coloured by its state alone.
    const greenOnChecks = () => ((s) => s.status === 'green' && s.checks.length > 0)(monitor.status().services[0]!);
    await waitFor(greenOnChecks, { timeout: 10_000, what: 'job green' });

    // What the daemon does for a person's Restart: note it, then restart through the supervisor. Its "running"
    // event arrives before any check ran on the new run, when the old run's results still say green.
    monitor.notePersonAction('job');
    rmSync(ready); // what the old run leaves behind goes with it
    await supervisor.restart();
    await waitFor(() => monitor.status().status === 'red', { timeout: 10_000, what: 'job red while it starts' });
    await waitFor(greenOnChecks, { timeout: 15_000, what: 'job green again' });
    expect(created).toEqual([]);
    expect(new FailuresRepo(db).list().total).toBe(0);
    expect(supervisor.restarts).toBe(1);
    expect(monitor.status().services[0]!.recovering).toBe(false);

    // The person's action ended with that green: a hang now is a failure again.
    rmSync(ready);
    await waitFor(() => created.length > 0, { timeout: 10_000, what: 'the hang recorded' });
    expect(created).toEqual(['hung']);
    expect(colours.at(-1)).toBe('red');
  }, 40_000);

  it('a process without checks is assessed by its state; fatal is red, left to the supervisor and recorded by its crash episode, not here', async () => {
    const db = open();
    const supervisor = new TinySupervisor([[process.execPath, '-e', '']]);
    const monitor = new HealthMonitor({
      db,
      supervisor,
      logger: recordingLogger(),
      config: ConfigSchema.parse({ processes: [{ name: 'job', command: 'node' }] }),
    });
    cleanups.push(() => monitor.stop());
    monitor.start();
    supervisor.state = 'backoff';
    await waitFor(() => monitor.status().status === 'yellow', { timeout: 5000, what: 'yellow in backoff' });
    expect(monitor.status().services[0]).toMatchObject({
      kind: 'process',
      status: 'yellow',
      rule: 'process state: backoff',
    });
    supervisor.state = 'fatal';
    const created: string[] = [];
    monitor.on('failure.created', (f) => created.push(f.kind));
    await waitFor(() => monitor.status().status === 'red', { timeout: 5000, what: 'red when fatal' });
    expect(monitor.status()).toMatchObject({ status: 'red', reason: 'job: fatal' });
    // Let a few rounds pass while red: the crash episode (crash-episodes.ts) owns this failure, not the monitor.
    // The monitor assesses on events (no tick), so each round is driven by a process event, as the supervisor's
    // process.changed would.
    const rounds = (monitor as unknown as { rounds: import('node:events').EventEmitter }).rounds;
    for (let i = 0; i < 3; i++) {
      const round = new Promise((r) => rounds.once('round', r));
      supervisor.state = 'fatal';
      await round;
    }
    expect(created).toEqual([]);
    expect(new FailuresRepo(db).list().total).toBe(0);
    expect(supervisor.restarts).toBe(0);
    supervisor.state = 'running';
    await waitFor(() => monitor.status().status === 'green', { timeout: 5000, what: 'green when running' });
  });
});
