/**
 * PM2 as a benchmark peer: its own PM2_HOME in a temp dir (never the user's ~/.pm2), apps from a JSON ecosystem
 * file, zero restart delay, no restart limit. `pm2 kill` at the end, then SIGKILL of the God daemon if it lingers.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, runOk } from '../lib/exec';
import { LineCounter } from '../lib/files';
import type { Program } from '../lib/children';
import type { Peer } from './peer';

export const PM2_BIN = fileURLToPath(new URL('../../node_modules/.bin/pm2', import.meta.url));

/** The PM2 app entry for a program. Node scripts run the way PM2 users run them (script + interpreter). */
export function pm2App(p: Program, logDir: string): Record<string, unknown> {
  const isNodeScript = p.command === process.execPath && /\.(m?js|cjs)$/.test(p.args[0] ?? '');
  return {
    name: p.name,
    ...(isNodeScript
      ? { script: p.args[0], args: p.args.slice(1), interpreter: process.execPath }
      : { script: p.command, args: p.args, interpreter: 'none' }),
    env: p.env,
    autorestart: p.restart === 'always',
    restart_delay: 0,
    max_restarts: 1_000_000,
    min_uptime: 0,
    out_file: join(logDir, `${p.name}.out.log`),
    error_file: join(logDir, `${p.name}.err.log`),
    merge_logs: true,
    time: false,
  };
}

export class Pm2Peer implements Peer {
  readonly name = 'pm2' as const;
  private godPid: number | undefined;
  private readonly counters = new Map<string, LineCounter>();
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly dir: string) {
    this.env = { ...process.env, PM2_HOME: join(dir, 'home'), PM2_DISCRETE_MODE: 'true' };
  }

  async start(programs: Program[]): Promise<void> {
    const file = join(this.dir, 'ecosystem.json');
    writeFileSync(file, JSON.stringify({ apps: programs.map((p) => pm2App(p, this.dir)) }));
    await runOk(PM2_BIN, ['start', file], { env: this.env, timeoutMs: 300_000 });
    this.godPid = Number(readFileSync(join(this.dir, 'home', 'pm2.pid'), 'utf8').trim());
  }

  daemonPid(): number {
    if (this.godPid === undefined) throw new Error('pm2 is not started');
    return this.godPid;
  }

  statusCommand() {
    return { command: PM2_BIN, args: ['jlist'], env: this.env };
  }

  async capturedLines(program: string): Promise<number> {
    let c = this.counters.get(program);
    if (!c) this.counters.set(program, (c = new LineCounter(join(this.dir, `${program}.out.log`))));
    return c.count();
  }

  async stopAll(): Promise<void> {
    await runOk(PM2_BIN, ['stop', 'all'], { env: this.env, timeoutMs: 300_000 });
  }

  async shutdown(): Promise<void> {
    if (existsSync(join(this.dir, 'home'))) await run(PM2_BIN, ['kill'], { env: this.env, timeoutMs: 120_000 });
    if (this.godPid !== undefined) {
      try {
        process.kill(this.godPid, 'SIGKILL');
      } catch {
        // pm2 kill already ended it.
      }
    }
  }
}
