/** supervisord configs written as its docs write them (with [include]s), imported with supervisord's meaning. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { importFiles, importSupervisord, importSupervisordFiles } from '../../../src-main/core/importers';
import { tempDir } from '../../helpers/tmp';
import { byName, expectWarnings, FIX, roundTrip } from './support';

const DIR = join(FIX, 'supervisord');
const ENV = { PATH: '/usr/bin:/bin', MAILER_THREADS: '4', MAILER_PROCS: '2' };

describe('supervisord.conf with [include], numprocs, %(ENV_X)s, [group:] across files', () => {
  const r = importSupervisordFiles([join(DIR, 'supervisord.conf')], { env: ENV });
  const cfg = roundTrip(r);
  const p = byName(cfg);

  it('follows [include] and starts programs in priority order (groups first by their priority)', () => {
    expect(cfg.processes.map((x) => x.name)).toEqual([
      'queue_01',
      'queue_02',
      'queue_03',
      'web',
      'mailer-0',
      'mailer-1',
      'cleanup',
    ]);
  });

  it('expands numprocs with process_name, %(here)s, %(program_name)s and %(ENV_X)s (also in numeric keys)', () => {
    expect(p.queue_02).toMatchObject({
      command: 'python3',
      args: ['-m', 'worker', '--concurrency', '4'],
      group: 'backend',
      cwd: join(DIR, 'srv'),
    });
    expect(p['mailer-1']).toMatchObject({
      command: `${DIR}/conf.d/../bin/mailer`,
      args: ['--threads', '4'],
      group: 'backend',
    });
    expect(p.web).toMatchObject({
      command: '/usr/bin/gunicorn',
      args: ['--bind', '127.0.0.1:8000', '--workers', '2', 'app:wsgi'],
      cwd: '/srv/web',
      group: 'backend',
    });
  });

  it('passes [supervisord] environment= down, program environment= over it', () => {
    expect(p.web!.env).toEqual({
      APP_ENV: 'production',
      LANG: 'en_US.UTF-8',
      PYTHONPATH: '/srv/web',
      DB_PASSWORD: 's3cr;et',
      PATH: '/opt/web/bin:/usr/bin:/bin',
    });
    expect(p.cleanup!.env).toEqual({ APP_ENV: 'production', LANG: 'en_US.UTF-8' });
  });

  it('maps startretries to failed starts only: once running, restarted for ever', () => {
    expect(p.web!.restart).toMatchObject({
      policy: 'on-failure',
      give_up: 'startup',
      exit_codes: { success: [0, 2] },
      start_secs: 5000,
      max_retries: 4,
    });
    expect(p['mailer-0']!.restart).toMatchObject({ give_up: 'startup', max_retries: 0, start_secs: 1000 });
    expect(p.queue_01!.restart).toMatchObject({ policy: 'always', max_retries: 3 }); // "true # keep it running"
    expect(p.web!.stop).toEqual({ signal: 'SIGINT', timeout: 20_000 });
  });

  it('reads indented option lines as keys (supervisord 4), and autostart=false', () => {
    expect(p.cleanup).toMatchObject({ command: '/usr/local/bin/cleanup', args: ['--dry-run'], autostart: false });
    expect(p.cleanup!.restart.policy).toBe('never');
    expect(p.cleanup!.group).toBeUndefined();
  });

  it('warns about each thing it changes, by name', () => {
    expectWarnings(r.warnings, [
      /^\[include\] in .*supervisord\.conf: extra\/none-\*\.ini matches no file$/,
      /^\[unix_http_server\] is supervisord's own setting/,
      /^\[supervisord\] logfile: supervisord's own settings/,
      /^\[rpcinterface:supervisor\]/,
      /^\[supervisorctl\]/,
      /^mailer: %\(ENV_MAILER_PROCS\)s, %\(ENV_MAILER_THREADS\)s resolved from this shell's environment at import time/,
      /^web: %\(ENV_PATH\)s resolved from this shell's environment/,
      /^web: user=www-data not imported/,
      /^web: stdout_logfile, redirect_stderr not imported/,
      /^failed starts are retried after 1s, 2s, 4s/,
    ]);
  });

  it('through importFiles (the CLI path) with several files: a [group:] may name programs from another file', () => {
    vi.stubEnv('MAILER_PROCS', '2');
    vi.stubEnv('MAILER_THREADS', '1');
    const two = importFiles('supervisord', [join(DIR, 'conf.d/groups.conf'), join(DIR, 'conf.d/workers.conf')]);
    vi.unstubAllEnvs();
    expect(roundTrip(two).processes.every((x) => x.group === 'backend')).toBe(true);
  });
});

describe('supervisord details', () => {
  const one = (text: string, env: Record<string, string> = {}) =>
    importSupervisord(text, { env, file: '/etc/supervisor/x.conf' });
  it.each<[string, string, Record<string, unknown>]>([
    ['inline # comment', '[program:a]\ncommand=/bin/a\nautorestart=true # keep\n', { restart: { policy: 'always' } }],
    [
      'inline ; comment',
      '[program:a]\ncommand=/bin/a ; run it\nautorestart=false ; no\n',
      { args: [], restart: { policy: 'never' } },
    ],
    ['a continuation line', '[program:a]\ncommand=/bin/a\n    --flag\n', { args: ['--flag'] }],
    ['%(here)s', '[program:a]\ncommand=%(here)s/bin/a\n', { command: '/etc/supervisor/bin/a' }],
    ['a Unicode program name', '[program:test_öäü]\ncommand=/bin/a\n', { name: 'test_öäü' }],
    [
      'autorestart=unexpected',
      '[program:a]\ncommand=/bin/a\n',
      { restart: { policy: 'on-failure', give_up: 'startup', max_retries: 3 } },
    ],
  ])('%s', (_what, text, shape) => expect(roundTrip(one(text)).processes[0]).toMatchObject(shape));

  it('an unknown %(ENV_X)s in a string is left as written, with a warning naming it', () => {
    const r = one('[program:x]\ncommand=a %(ENV_NOPE)s\n');
    expect(r.warnings).toContain('x: %(ENV_NOPE)s in command is not set here; left as written');
  });

  it.each([
    [
      '[program:x]\ncommand=a\nstartsecs=soon\n',
      /\[program:x\] \(line 1\): startsecs: expected a whole number, got "soon"/,
    ],
    ['[program:x]\nautostart=true\n', /expected command=/],
    ['just words\n', /line 1: expected "\[section\]"/],
    [
      '[program:x]\ncommand=a\nnumprocs=%(ENV_N)s\nprocess_name=x%(process_num)d\n',
      /numprocs: %\(ENV_N\)s is not set here/,
    ],
    ['[program:x]\ncommand=a\nnumprocs=2\n', /numprocs=2 needs process_name with %\(process_num\)s/],
  ])('refuses %j, naming the section and key', (text, re) => expect(() => one(text)).toThrow(re));

  const tmp = tempDir();
  afterAll(tmp.cleanup);
  it('follows nested includes relative to the including file, once each', () => {
    mkdirSync(join(tmp.dir, 'a/b'), { recursive: true });
    writeFileSync(join(tmp.dir, 'main.conf'), '[include]\nfiles=a/*.conf\n');
    writeFileSync(
      join(tmp.dir, 'a/one.conf'),
      '[program:one]\ncommand=/bin/one\n[include]\nfiles=b/*.conf ../main.conf\n',
    );
    writeFileSync(join(tmp.dir, 'a/b/two.conf'), '[program:two]\ncommand=%(here)s/two\n');
    const r = importFiles('supervisord', [join(tmp.dir, 'main.conf')]);
    expect(roundTrip(r).processes.map((x) => [x.name, x.command])).toEqual([
      ['one', '/bin/one'],
      ['two', join(tmp.dir, 'a/b/two')],
    ]);
  });
});
