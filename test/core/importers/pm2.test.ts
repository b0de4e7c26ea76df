/** PM2 ecosystem files written as PM2's docs write them, imported with PM2's meaning. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importFiles, importPm2Data, importPm2File } from '../../../src-main/core/importers';
import { tempDir } from '../../helpers/tmp';
import { byName, expectWarnings, FIX, roundTrip } from './support';

const DIR = join(FIX, 'pm2');
const at = (f: string) => join(DIR, f);

describe('pm2 ecosystem.config.js (require, __dirname, process.env, env_production, instances)', () => {
  const r = importFiles('pm2', [at('ecosystem.config.js')]);
  const p = byName(roundTrip(r));

  it('evaluates the file as a real module and resolves paths as PM2 does', () => {
    expect(Object.keys(p)).toEqual(['api-0', 'api-1', 'www', 'worker', 'next-app']);
    expect(p['api-0']).toMatchObject({
      command: 'node',
      args: ['--max-old-space-size=512', at('app/server.js'), '--port', '8080'],
      cwd: DIR,
      group: 'api',
    });
    // process.env.API_PORT || 3000, evaluated in the child with this environment (API_PORT unset here).
    expect(p['api-0']!.env).toMatchObject({ NODE_ENV: 'development', PORT: '3000', NODE_APP_INSTANCE: '0' });
    expect(p['api-1']!.env.NODE_APP_INSTANCE).toBe('1');
    // A relative cwd is resolved next to the file, the script relative to the cwd; an extension-less text
    // script (Express's bin/www) runs with node, as PM2 does.
    expect(p.www).toMatchObject({ command: 'node', args: [at('app/bin/www')], cwd: at('app') });
    expect(p.worker).toMatchObject({ command: 'python3', args: [at('worker/worker.py')] });
    expect(p.worker!.env.PYTHONUNBUFFERED).toBe('1');
    expect(p['next-app']).toMatchObject({ command: 'npm run start', shell: true, env: { PORT: '4000' } });
  });

  it("keeps PM2's restart semantics: every exit restarts, only runs shorter than min_uptime count", () => {
    expect(p['api-0']!.restart).toMatchObject({
      policy: 'always',
      give_up: 'startup',
      max_retries: 16,
      start_secs: 1000,
      delay: 100,
      backoff: 1.5,
      max_delay: 15_000,
    });
    expect(p.worker!.restart).toMatchObject({
      policy: 'on-failure',
      give_up: 'startup',
      max_retries: 5,
      start_secs: 5000,
      delay: 2000,
      backoff: 1,
      exit_codes: { success: [0] },
    });
    expect(p['api-0']!.stop).toEqual({ signal: 'SIGINT', timeout: 1600 });
    expect(p.www!.stop).toEqual({ signal: 'SIGINT', timeout: 3000 });
    expect(p['api-0']!.limits).toMatchObject({ memory: 300 * 1024 * 1024, action: 'restart', for: 0 });
  });

  it('cron_restart on a long-running app: started at load, restarted on the schedule', () => {
    expect(p.www!.schedule).toMatchObject({ cron: '0 4 * * *', overlap: 'restart', run_at_load: true });
    expect(p.www!.autostart).toBe(true);
  });

  it('warns about each thing it changes, by name', () => {
    expectWarnings(r.warnings, [
      /^api: env_production not applied \(choose one with --env NAME/,
      /^api: exp_backoff_restart_delay: the backoff starts over/,
      /^api: out_file, merge_logs not imported: Sentinel captures output itself/,
      /^api: instances: 2 → processes api-0…api-1 in group api; cluster mode's shared port is not reproduced/,
      /^www: watch true not imported: Sentinel does not restart on file changes/,
      /^worker: interpreter python3/,
      /^worker: uid: www-data not imported/,
      /^next-app: script "npm run start" has spaces and is not a file: run through \/bin\/sh -c, as PM2 does/,
      /ecosystem\.config\.js reads process\.env: it was evaluated with this shell's environment/,
    ]);
  });

  it('--env production applies env_production over env', () => {
    const prod = byName(roundTrip(importFiles('pm2', [at('ecosystem.config.js')], { env: 'production' })));
    expect(prod['api-0']!.env).toMatchObject({ NODE_ENV: 'production', PORT: '3000' });
    expect(prod.www!.env).toEqual({});
  });

  it('the file sees the environment it is evaluated with', () => {
    const r2 = importPm2File(at('ecosystem.config.js'), '', { processEnv: { ...process.env, API_PORT: '9999' } });
    expect(r2.config.processes![0]!.env).toMatchObject({ PORT: '9999' });
  });
});

describe('pm2: the other file kinds', () => {
  it.each<[string, string, string[], Record<string, object>]>([
    [
      'a single app object with cmd (.cjs)',
      'single-app.config.cjs',
      ['solo'],
      { solo: { command: 'node', args: [at('app/server.js')] } },
    ],
    [
      'export default (.mjs) with a namespace',
      'ecosystem.config.mjs',
      ['esm-app'],
      { 'esm-app': { group: 'web', args: [at('app/server.js')] } },
    ],
    [
      'JSON with comments and trailing commas (evaluated as PM2 does)',
      'ecosystem.json',
      ['static', 'py'],
      { static: { args: [at('app/server.js'), '-p', '5000'], restart: { delay: 500, max_retries: 3 } } },
    ],
    [
      'YAML, instances in fork mode',
      'ecosystem.yaml',
      ['yaml-app-0', 'yaml-app-1', 'yaml-app-2'],
      { 'yaml-app-2': { group: 'yaml-app' } },
    ],
  ])('%s', (_what, file, names, expected) => {
    const cfg = byName(roundTrip(importFiles('pm2', [at(file)])));
    expect(Object.keys(cfg)).toEqual(names);
    for (const [name, shape] of Object.entries(expected)) expect(cfg[name]).toMatchObject(shape);
  });

  it('a single app with autorestart: false never restarts', () => {
    const cfg = byName(roundTrip(importFiles('pm2', [at('single-app.config.cjs')])));
    expect(cfg.solo!.restart.policy).toBe('never');
  });
});

describe('pm2: mapping details', () => {
  const one = (app: Record<string, unknown>, opts = {}) => {
    const r = importPm2Data({ apps: [app] }, at('eco.config.js'), opts);
    return { p: roundTrip(r).processes, warnings: r.warnings };
  };
  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    [
      'interpreter none runs the script itself',
      { script: '/bin/true', interpreter: 'none' },
      { command: '/bin/true', args: [] },
    ],
    [
      'a bare command is looked up on PATH',
      { name: 'n', script: 'npx', args: 'serve -s build' },
      { command: 'npx', args: ['serve', '-s', 'build'] },
    ],
    [
      'interpreter_args go before the script',
      { script: 'app/server.js', interpreter_args: '--inspect' },
      { args: ['--inspect', at('app/server.js')] },
    ],
    [
      'a node@version interpreter uses node on PATH',
      { script: 'app/server.js', interpreter: 'node@18.0.0' },
      { command: 'node' },
    ],
    [
      'cron_restart with autorestart false still runs at load',
      { script: 'app/server.js', autorestart: false, cron_restart: '*/5 * * * *' },
      { schedule: { cron: '*/5 * * * *', run_at_load: true } },
    ],
    ['autostart: false', { script: 'app/server.js', autostart: false }, { autostart: false }],
    ['a Unicode name stays itself', { name: 'test_öäü', script: 'app/server.js' }, { name: 'test_öäü' }],
  ])('%s', (_what, app, shape) => expect(one(app).p[0]).toMatchObject(shape));

  it('instances: max is the CPU count, each told its instance', () => {
    const { p, warnings } = one({ name: 'w', script: 'app/server.js', instances: 'max' });
    expect(p.length).toBeGreaterThanOrEqual(1);
    expect(p.map((x) => x.env.NODE_APP_INSTANCE)).toEqual(p.map((_, i) => String(i)));
    expect(warnings.some((w) => /instances: max →/.test(w))).toBe(true);
  });

  it.each([
    ['module.exports = { nope: 1 }', /expected `apps: \[...\]`, an array of apps or one app object/],
    ['module.exports = { apps: [{ name: "x" }] }', /apps\[0\]: expected `script` \(or `cmd`\/`command`\)/],
    ['throw new Error("broken on purpose")', /cannot evaluate: Error: broken on purpose/],
    ['module.exports = require("./does-not-exist")', /cannot evaluate: Error: Cannot find module '\.\/does-not-exist'/],
    ['process.exit(0)', /the file exited before exporting anything/],
  ])('refuses %s, naming why', (text, re) => {
    const { dir, cleanup } = tempDir();
    try {
      const file = join(dir, 'bad.config.cjs');
      writeFileSync(file, text);
      expect(() => importFiles('pm2', [file])).toThrow(re);
    } finally {
      cleanup();
    }
  });

  const slow = tempDir();
  afterAll(slow.cleanup);
  it('stops a file that never finishes', () => {
    const file = join(slow.dir, 'forever.config.cjs');
    writeFileSync(file, 'setInterval(() => {}, 1000); module.exports = new Promise(() => {}); while (true) {}');
    expect(() => importPm2File(file, '', { timeoutMs: 1500 })).toThrow(/took longer than 1.5s; stopped/);
  });

  it('what the file prints never reaches the output', () => {
    const file = join(slow.dir, 'noisy.config.cjs');
    writeFileSync(
      file,
      'console.log("hello"); module.exports = { apps: [{ name: "q", script: "/bin/true", interpreter: "none" }] };',
    );
    expect(importPm2File(file, '').config.processes).toHaveLength(1);
  });
});
