import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProcessInfo, ProcessState } from '../../src-main/shared/contract';
import { ConfigSchema } from '../../src-main/core/config/schema';
import { HealthMonitor, type HealthSupervisor } from '../../src-main/core/health/monitor';
import { LEFT_TO_SUPERVISOR } from '../../src-main/core/health/recovery';
import { openDb, type Db } from '../../src-main/core/store/db';
import { FailuresRepo } from '../../src-main/core/store/failures-repo';
import { tempDir } from '../helpers/tmp';
import { waitFor } from '../helpers/wait';
import { recordingLogger } from '../checks/helpers';
import { freePort } from '../helpers/net';

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
  constructor(private readonly argvs: string[][]) {}
  start(): void {
    const argv = this.argvs[Math.min(this.restarts, this.argvs.length - 1)]!;
    this.child = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore' });
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
    return {
      name,
      group: null,
      state: this.state,
      pid: this.pidOf(),
      started_at: null,
      uptime_ms: null,
      restarts: this.restarts,
      last_exit_code: null,
      last_signal: null,
      reason: null,
      next_attempt_at: null,
      cpu: null,
      memory: null,
      schedule: null,
    };
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
            checks: [{ type: 'http', url: `http://127.0.0.1:${port}/`, interval: 200, timeout: 300 }],
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

  it('a process without checks is assessed by its state; fatal is red and left to the supervisor', async () => {
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
    const outcomes: string[] = [];
    monitor.on('failure.updated', (f) => outcomes.push(f.outcome ?? ''));
    await waitFor(() => outcomes.length > 0, { timeout: 5000, what: 'the failure of a fatal process' });
    expect(monitor.status()).toMatchObject({ status: 'red', reason: 'job: fatal' });
    expect(outcomes[0]).toBe(LEFT_TO_SUPERVISOR);
    expect(supervisor.restarts).toBe(0);
    supervisor.state = 'running';
    await waitFor(() => monitor.status().status === 'green', { timeout: 5000, what: 'green when running' });
    await waitFor(() => new FailuresRepo(db).list().items[0]!.recovered_at !== null, {
      timeout: 5000,
      what: 'the failure closed',
    });
    expect(new FailuresRepo(db).list().items[0]!.outcome).toBe('recovered without restart');
  });
});
