/**
 * A minimal but real process runner for scheduler and limits tests until they run against the Supervisor:
 * spawns real children in their own process group, tracks state, emits `exit` like the Supervisor does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { ProcessState } from '../../../src-main/shared/contract';
import type { ExitEvent, ProcessRunner } from '../../../src-main/core/scheduler/process-runner';

interface Proc {
  argv: string[];
  state: ProcessState;
  child?: ChildProcess;
  runId: number;
  startedAt: number;
}

export class RealRunner extends EventEmitter implements ProcessRunner {
  readonly starts: { name: string; at: number; pid: number }[] = [];
  private readonly procs = new Map<string, Proc>();
  private runs = 0;

  /** `argv` runs with node: e.g. ['-e', 'setTimeout(() => {}, 300)']. */
  define(name: string, argv: string[]): void {
    this.procs.set(name, { argv, state: 'stopped', runId: 0, startedAt: 0 });
  }

  async start(name: string): Promise<void> {
    const p = this.get(name);
    if (p.child) return;
    const child = spawn(process.execPath, p.argv, { detached: true, stdio: 'ignore' });
    p.child = child;
    p.state = 'running';
    p.runId = ++this.runs;
    p.startedAt = Date.now();
    this.starts.push({ name, at: p.startedAt, pid: child.pid! });
    let requested = false;
    (child as ChildProcess & { requested?: () => void }).requested = () => (requested = true);
    child.on('exit', (code, signal) => {
      p.child = undefined;
      p.state = 'exited';
      const e: ExitEvent = { name, runId: p.runId, code, signal, uptimeMs: Date.now() - p.startedAt, requested };
      this.emit('exit', e);
    });
    await new Promise<void>((resolve, reject) => child.once('spawn', resolve).once('error', reject));
  }

  async stop(name: string): Promise<void> {
    const p = this.get(name);
    const child = p.child;
    if (!child) return;
    p.state = 'stopping';
    (child as ChildProcess & { requested?: () => void }).requested?.();
    const gone = new Promise((r) => child.once('exit', r));
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      /* already gone */
    }
    await gone;
    p.state = 'stopped';
  }

  async restart(name: string): Promise<void> {
    await this.stop(name);
    await this.start(name);
  }

  info(name: string) {
    return { name, state: this.get(name).state };
  }

  pidOf(name: string): number | null {
    return this.get(name).child?.pid ?? null;
  }

  pgidOf(name: string): number | null {
    return this.pidOf(name); // detached: the child leads its own group
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.procs.keys()].map((n) => this.stop(n)));
  }

  private get(name: string): Proc {
    const p = this.procs.get(name);
    if (!p) throw new Error(`no process named "${name}"`);
    return p;
  }
}
