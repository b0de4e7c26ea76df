/**
 * supervisord as a benchmark peer, run by hand in the foreground (nodaemon) with a temp config and a unix socket,
 * never the system service. Programs restart at once (startsecs=0, unlimited retries), logs never rotate so
 * every line can be counted.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exited, run, runOk, spawnDaemon } from '../lib/exec';
import { waitFor } from '../../test/helpers/wait';
import { LineCounter } from '../lib/files';
import type { Program } from '../lib/children';
import type { Peer, Unavailable } from './peer';

/** Where supervisord lives, or why the bench must skip it. */
export function findSupervisord(): { supervisord: string; supervisorctl: string } | Unavailable {
  for (const dir of (process.env.PATH ?? '').split(':').concat('/usr/bin', '/usr/local/bin')) {
    if (dir && existsSync(join(dir, 'supervisord')) && existsSync(join(dir, 'supervisorctl'))) {
      return { supervisord: join(dir, 'supervisord'), supervisorctl: join(dir, 'supervisorctl') };
    }
  }
  return { name: 'supervisord', reason: 'supervisord is not installed (Debian: apt-get install -y supervisor)' };
}

/** supervisord parses `command` with shlex: quote every word so paths with spaces survive. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'"'"'`)}'`;
}

/** The ini text for a set of programs. Exported for the table test of quoting and options. */
export function supervisordConfig(dir: string, programs: Program[]): string {
  const lines = [
    '[unix_http_server]',
    `file=${join(dir, 'supervisor.sock')}`,
    'chmod=0700',
    '[supervisord]',
    `logfile=${join(dir, 'supervisord.log')}`,
    `pidfile=${join(dir, 'supervisord.pid')}`,
    `childlogdir=${dir}`,
    'nodaemon=true',
    // Two pipes per child: 500 children need more than the default 1024 descriptors.
    'minfds=8192',
    'minprocs=2048',
    '[rpcinterface:supervisor]',
    'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
    '[supervisorctl]',
    `serverurl=unix://${join(dir, 'supervisor.sock')}`,
  ];
  for (const p of programs) {
    const env = Object.entries(p.env).map(([k, v]) => `${k}="${v.replace(/"/g, '\\"').replace(/%/g, '%%')}"`);
    lines.push(
      `[program:${p.name}]`,
      `command=${[p.command, ...p.args].map(shellQuote).join(' ').replace(/%/g, '%%')}`,
      'autostart=true',
      `autorestart=${p.restart === 'always' ? 'true' : 'false'}`,
      'startsecs=0',
      'startretries=1000000',
      'stopsignal=TERM',
      'stopwaitsecs=10',
      `stdout_logfile=${join(dir, `${p.name}.out.log`)}`,
      'stdout_logfile_maxbytes=0',
      `stderr_logfile=${join(dir, `${p.name}.err.log`)}`,
      'stderr_logfile_maxbytes=0',
      ...(env.length ? [`environment=${env.join(',')}`] : []),
    );
  }
  return lines.join('\n') + '\n';
}

export class SupervisordPeer implements Peer {
  readonly name = 'supervisord' as const;
  private daemon: ChildProcess | undefined;
  private readonly conf: string;
  private readonly counters = new Map<string, LineCounter>();

  constructor(
    private readonly dir: string,
    private readonly bins: { supervisord: string; supervisorctl: string },
  ) {
    this.conf = join(dir, 'supervisord.conf');
  }

  async start(programs: Program[]): Promise<void> {
    writeFileSync(this.conf, supervisordConfig(this.dir, programs));
    this.daemon = spawnDaemon(this.bins.supervisord, ['-c', this.conf], {
      logFile: join(this.dir, 'supervisord.stdout'),
    });
    const daemon = this.daemon;
    await waitFor(
      async () => {
        if (daemon.exitCode !== null)
          throw new Error(`supervisord exited ${daemon.exitCode}; see ${this.dir}/supervisord.log`);
        return (await run(this.bins.supervisorctl, ['-c', this.conf, 'pid'], { timeoutMs: 10_000 })).code === 0;
      },
      { timeout: 60_000, interval: 50, what: 'supervisord to answer on its socket' },
    );
  }

  daemonPid(): number {
    if (this.daemon?.pid === undefined) throw new Error('supervisord is not started');
    return this.daemon.pid;
  }

  statusCommand() {
    return { command: this.bins.supervisorctl, args: ['-c', this.conf, 'status'], env: process.env };
  }

  async capturedLines(program: string): Promise<number> {
    let c = this.counters.get(program);
    if (!c) this.counters.set(program, (c = new LineCounter(join(this.dir, `${program}.out.log`))));
    return c.count();
  }

  async stopAll(): Promise<void> {
    await runOk(this.bins.supervisorctl, ['-c', this.conf, 'stop', 'all'], { timeoutMs: 300_000 });
  }

  async shutdown(): Promise<void> {
    const d = this.daemon;
    if (!d || d.exitCode !== null || d.signalCode !== null) return;
    d.kill('SIGTERM'); // supervisord stops its children on SIGTERM.
    const timer = setTimeout(() => d.kill('SIGKILL'), 30_000);
    await exited(d);
    clearTimeout(timer);
  }
}
