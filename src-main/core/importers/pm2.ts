/**
 * PM2 ecosystem files → Sentinel config. An ecosystem.config.js is JavaScript, so it is evaluated in an empty
 * `node:vm` context (no require, no process, no eval/Function, 1 s timeout) that only has `module`/`exports`
 * created inside it; the result leaves the context as JSON, so no object of ours is ever reachable from it.
 * Note: vm is not a security boundary against a determined attacker; it keeps an ordinary config file from
 * doing anything but describe apps. Import only files you trust.
 */
import { runInContext, createContext } from 'node:vm';
import { basename, extname } from 'node:path';
import { splitCommandLine } from './command-line';
import { ImportError, toProcessName, type ImportResult, type ProcessInput, type RestartInput } from './import-result';

type Pm2App = Record<string, unknown>;

/** Evaluates (.js/.cjs) or parses (.json) an ecosystem file and returns its apps. */
export function readEcosystem(text: string, filename: string): Pm2App[] {
  let data: unknown;
  if (/\.json$/i.test(filename)) {
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new ImportError(filename, `not valid JSON: ${(err as Error).message}`);
    }
  } else {
    const context = createContext({}, { codeGeneration: { strings: false, wasm: false } });
    try {
      runInContext('var module = { exports: {} }; var exports = module.exports;', context);
      runInContext(text, context, { filename, timeout: 1_000 });
      data = JSON.parse(String(runInContext('JSON.stringify(module.exports)', context, { timeout: 1_000 })));
    } catch (err) {
      const msg = (err as Error).message;
      const hint = /require|process/.test(msg)
        ? ' (ecosystem files are evaluated without require() and process; inline the values)'
        : '';
      throw new ImportError(filename, `cannot evaluate: ${msg}${hint}`);
    }
  }
  const apps = Array.isArray(data) ? data : (data as { apps?: unknown })?.apps;
  if (!Array.isArray(apps)) throw new ImportError(filename, 'expected `apps: [...]` (or an array of apps)');
  return apps.map((a, i) => {
    if (typeof a !== 'object' || a === null) throw new ImportError(filename, `apps[${i}]: expected an object`);
    return a as Pm2App;
  });
}

/** PM2's interpreter by extension when none is given. */
const INTERPRETERS: Record<string, string> = {
  '.js': 'node',
  '.mjs': 'node',
  '.cjs': 'node',
  '.py': 'python3',
  '.sh': 'bash',
  '.rb': 'ruby',
  '.php': 'php',
  '.pl': 'perl',
};

/** Keys that are understood (mapped or deliberately warned about). */
const HANDLED = new Set([
  'name',
  'script',
  'args',
  'interpreter',
  'interpreter_args',
  'node_args',
  'cwd',
  'env',
  'autorestart',
  'restart_delay',
  'exp_backoff_restart_delay',
  'max_restarts',
  'min_uptime',
  'max_memory_restart',
  'cron_restart',
  'kill_timeout',
  'stop_exit_codes',
  'instances',
  'exec_mode',
  'watch',
  'ignore_watch',
]);

const asList = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : typeof v === 'string' ? splitCommandLine(v) : [];
const asMs = (v: unknown): number | string | undefined =>
  typeof v === 'number' ? v : typeof v === 'string' && v.trim() ? v.trim() : undefined;

function mapApp(app: Pm2App, i: number, warn: (m: string) => void): ProcessInput {
  if (typeof app.script !== 'string' || !app.script) throw new ImportError(`apps[${i}]`, 'expected `script`');
  const script = app.script;
  const name = toProcessName(typeof app.name === 'string' ? app.name : basename(script, extname(script)));
  const w = (m: string) => warn(`${name}: ${m}`);
  if (typeof app.name === 'string' && app.name !== name)
    w(`renamed from "${app.name}" (names are letters, digits, _ . -)`);

  const interpreter =
    typeof app.interpreter === 'string' && app.interpreter !== 'none'
      ? app.interpreter
      : app.interpreter === 'none'
        ? undefined
        : INTERPRETERS[extname(script)];
  const interpreterArgs = [...asList(app.interpreter_args), ...asList(app.node_args)];
  const p: ProcessInput = interpreter
    ? { name, command: interpreter, args: [...interpreterArgs, script, ...asList(app.args)] }
    : { name, command: script, args: asList(app.args) };
  if (typeof app.cwd === 'string') p.cwd = app.cwd;
  if (app.env && typeof app.env === 'object')
    p.env = Object.fromEntries(Object.entries(app.env as object).map(([k, v]) => [k, String(v)]));

  // PM2 restarts on every exit unless told otherwise.
  const restart: RestartInput = { policy: app.autorestart === false ? 'never' : 'always' };
  const stopCodes = Array.isArray(app.stop_exit_codes)
    ? app.stop_exit_codes.map(Number)
    : typeof app.stop_exit_codes === 'number'
      ? [app.stop_exit_codes]
      : undefined;
  if (stopCodes && restart.policy !== 'never') {
    restart.policy = 'on-failure';
    restart.exit_codes = { success: stopCodes };
  }
  if (app.exp_backoff_restart_delay !== undefined) {
    // PM2 grows the delay by 1.5× per failed restart up to 15 s.
    restart.delay = asMs(app.exp_backoff_restart_delay);
    restart.backoff = 1.5;
    restart.max_delay = 15_000;
    if (app.restart_delay !== undefined) w('restart_delay ignored because exp_backoff_restart_delay is set');
  } else if (app.restart_delay !== undefined) {
    restart.delay = asMs(app.restart_delay);
    restart.backoff = 1;
  }
  if (typeof app.max_restarts === 'number') restart.max_retries = app.max_restarts;
  if (app.min_uptime !== undefined) {
    // PM2: a run shorter than min_uptime is an "unstable restart", counted against max_restarts.
    restart.start_secs = asMs(app.min_uptime);
    restart.reset_after = asMs(app.min_uptime);
  }
  p.restart = restart;
  if (app.kill_timeout !== undefined) p.stop = { timeout: asMs(app.kill_timeout) };
  if (app.max_memory_restart !== undefined) {
    const mem = String(app.max_memory_restart)
      .trim()
      .replace(/^(\d+(?:\.\d+)?)\s*([KMG])$/i, '$1$2B');
    p.limits = { memory: /^\d+$/.test(mem) ? Number(mem) : mem, action: 'restart' };
  }
  if (typeof app.cron_restart === 'string') {
    p.schedule = { cron: app.cron_restart, overlap: 'restart' };
    w(
      'cron_restart mapped to a schedule with overlap: restart — the process is started by the schedule, at its first cron time',
    );
  }
  const instances = app.instances;
  if (instances !== undefined && instances !== 1 && instances !== '1')
    w(`instances: ${String(instances)} not supported (Sentinel runs one instance; define more processes if needed)`);
  if (app.exec_mode === 'cluster' || app.exec_mode === 'cluster_mode')
    w('exec_mode cluster not supported (no Node cluster mode); runs as a single fork');
  if (app.watch !== undefined && app.watch !== false) w('watch (restart on file changes) not supported');
  if (app.ignore_watch !== undefined) w('ignore_watch not supported');
  for (const key of Object.keys(app)) {
    if (!HANDLED.has(key))
      w(
        `${key} not imported (no Sentinel equivalent${/^env_/.test(key) ? '; only `env` is used' : /log|_file$/.test(key) ? '; Sentinel captures output itself' : ''})`,
      );
  }
  return p;
}

export function importPm2(text: string, filename: string): ImportResult {
  const warnings: string[] = [];
  const processes = readEcosystem(text, filename).map((app, i) => mapApp(app, i, (m) => warnings.push(m)));
  return { config: { version: 1, processes }, warnings };
}
