/**
 * PM2 ecosystem files → Sentinel config, with PM2's meaning (lib/Common.js, lib/API/schema.json):
 * - apps from `apps: [...]`, a bare array, or a single app object; `script` (aliases `cmd`, `command`, `exec`);
 * - relative `script`/`cwd` resolved as PM2 does for `pm2 start <file>` run next to the file; a script that is
 *   not a file is looked up on PATH (`npm`); a script with spaces runs through a shell, as PM2 does;
 * - the interpreter by extension (PM2's table), `none`, `interpreter_args`/`node_args`, PYTHONUNBUFFERED=1 for
 *   Python; `env` plus `env_<NAME>` with `--env NAME`;
 * - PM2's restart semantics: restart on every exit, SIGINT then SIGKILL after kill_timeout (1.6 s), give up
 *   only after max_restarts (16) runs shorter than min_uptime (1 s) — restarts after a longer run never stop;
 * - `instances: N` → N processes name-0… in a group, each with NODE_APP_INSTANCE; `cron_restart` → a restart
 *   schedule that also starts the app at load.
 * What cannot be kept is said in a warning naming the key.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, dirname, extname, isAbsolute, resolve } from 'node:path';
import { splitCommandLine } from './command-line';
import { ImportError, toProcessName, type ImportResult, type ProcessInput, type RestartInput } from './import-result';
import { readEcosystemFile } from './pm2-ecosystem';

type Pm2App = Record<string, unknown>;

export interface Pm2ImportOptions {
  /** `--env NAME`: apply each app's `env_NAME` over `env`, as `pm2 start file --env NAME`. */
  env?: string;
  /** The environment the ecosystem file is evaluated with (default: ours, as PM2 uses the user's). */
  processEnv?: NodeJS.ProcessEnv;
  /** How long the file may take to evaluate (default ECOSYSTEM_TIMEOUT_MS). */
  timeoutMs?: number;
}

/** The apps of an evaluated ecosystem file: `{apps: [...]}`, `[...]`, or one app object. */
export function appsOf(data: unknown, source: string): Pm2App[] {
  const isObject = (v: unknown): v is Pm2App => typeof v === 'object' && v !== null && !Array.isArray(v);
  let apps: unknown;
  if (Array.isArray(data)) apps = data;
  else if (isObject(data) && Array.isArray(data.apps)) apps = data.apps;
  else if (isObject(data) && isObject(data.apps)) apps = [data.apps];
  else if (isObject(data) && (data.script ?? data.cmd ?? data.command ?? data.exec) !== undefined) apps = [data];
  else
    throw new ImportError(
      source,
      `expected \`apps: [...]\`, an array of apps or one app object with a script, got ${data === null ? 'null' : typeof data}`,
    );
  return (apps as unknown[]).map((a, i) => {
    if (!isObject(a)) throw new ImportError(source, `apps[${i}]: expected an object`);
    return a;
  });
}

/** lib/API/interpreter.json, plus the module flavours of .js. */
const INTERPRETERS: Record<string, string> = {
  '.sh': 'bash',
  '.py': 'python3',
  '.rb': 'ruby',
  '.php': 'php',
  '.pl': 'perl',
  '.js': 'node',
  '.cjs': 'node',
  '.mjs': 'node',
  '.coffee': 'coffee',
  '.ls': 'lsc',
  '.ts': 'bun',
  '.tsx': 'bun',
};

/** Keys that are understood (mapped or deliberately warned about). */
const HANDLED = new Set([
  'name',
  'script',
  'cmd',
  'command',
  'exec',
  'args',
  'interpreter',
  'exec_interpreter',
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
  'instance_var',
  'namespace',
  'watch',
  'ignore_watch',
  'watch_delay',
  'watch_options',
  'autostart',
]);

/** Output files: Sentinel captures stdout/stderr itself. */
const LOG_KEYS =
  /^(out_file|error_file|err_file|log_file|output|error|log|merge_logs|combine_logs|log_date_format|log_type|time|disable_logs|pid_file|pid)$/;

const asList = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : typeof v === 'string' ? splitCommandLine(v) : [];
/** PM2 times: a number of ms, or "1s"/"5m"/"1h" (min_uptime); a numeric string is ms. */
const asMs = (v: unknown): number | string | undefined =>
  typeof v === 'number'
    ? v
    : typeof v === 'string' && v.trim()
      ? /^\d+$/.test(v.trim())
        ? Number(v)
        : v.trim()
      : undefined;

/** Like PM2's isBinary: a NUL byte in the first 512 bytes. */
function isBinaryFile(path: string): boolean {
  try {
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(512);
      const n = readSync(fd, buf, 0, 512, 0);
      return buf.subarray(0, n).includes(0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

function mapApp(
  app: Pm2App,
  i: number,
  file: string,
  opts: Pm2ImportOptions,
  warnAll: (m: string) => void,
): ProcessInput[] {
  const scriptKey = (['script', 'cmd', 'command', 'exec'] as const).find((k) => typeof app[k] === 'string' && app[k]);
  if (!scriptKey) throw new ImportError(`${file}: apps[${i}]`, 'expected `script` (or `cmd`/`command`)');
  const script = (app[scriptKey] as string).trim();
  const rawName =
    typeof app.name === 'string' && app.name ? app.name : basename(script.split(/\s+/)[0]!, extname(script));
  const name = toProcessName(rawName);
  const w = (m: string) => warnAll(`${name}: ${m}`);
  if (name !== rawName) w(`renamed from "${rawName}"`);

  // PM2 resolves a relative cwd against where `pm2 start` runs; an ecosystem file is started next to itself.
  const fileDir = dirname(resolve(file));
  const cwd =
    typeof app.cwd === 'string' && app.cwd
      ? resolve(fileDir, app.cwd.replace(/^~(?=\/|$)/, process.env.HOME ?? '~'))
      : fileDir;

  const p: ProcessInput = { name, command: '', cwd };
  const env: Record<string, string> = {};
  const addEnv = (src: unknown) => {
    if (src && typeof src === 'object')
      for (const [k, v] of Object.entries(src as object))
        env[k] = typeof v === 'object' ? JSON.stringify(v) : String(v);
  };
  addEnv(app.env);
  if (opts.env !== undefined) {
    const key = `env_${opts.env}`;
    if (app[key] !== undefined) addEnv(app[key]);
    else w(`has no ${key}: only env applied`);
  }
  const otherEnvs = Object.keys(app).filter((k) => /^env_./.test(k) && k !== `env_${opts.env}`);
  if (otherEnvs.length > 0)
    w(
      `${otherEnvs.join(', ')} not applied (${opts.env === undefined ? 'choose one with --env NAME, as pm2 start --env' : 'another --env was chosen'})`,
    );

  const scriptPath = resolve(cwd, script);
  const isFile = existsSync(scriptPath) && statSync(scriptPath).isFile();
  const explicit = (app.interpreter ?? app.exec_interpreter) as unknown;
  if (!isFile && /\s/.test(script)) {
    // PM2 cannot find a file named "npm run start" and hands the line to a shell.
    p.command = [script, ...asList(app.args).map(shellQuote)].join(' ');
    p.shell = true;
    w(`script "${script}" has spaces and is not a file: run through /bin/sh -c, as PM2 does`);
  } else {
    const command = isFile ? scriptPath : isAbsolute(script) || script.includes('/') ? scriptPath : script;
    if (!isFile && command === scriptPath) w(`script ${scriptPath} does not exist (yet)`);
    let interpreter: string | undefined;
    if (typeof explicit === 'string' && explicit && explicit !== 'none') interpreter = explicit;
    else if (explicit === undefined) {
      interpreter = INTERPRETERS[extname(script).toLowerCase()];
      // PM2 runs an extension-less text file (an Express bin/www) with node, and a binary as it is.
      if (interpreter === undefined && isFile && !isBinaryFile(scriptPath)) interpreter = 'node';
      if (extname(script).toLowerCase() === '.py') w('interpreter python3 (PM2 says python; macOS has only python3)');
    }
    const isNode = interpreter !== undefined && /(^|\/)node(js)?(@[\w.]+)?$/.test(interpreter);
    if (interpreter?.includes('@'))
      w(`interpreter ${interpreter}: PM2's nvm version selection is not reproduced; uses node on PATH`);
    const interpreterArgs = [...asList(app.interpreter_args), ...(isNode ? asList(app.node_args) : [])];
    if (!isNode && app.node_args !== undefined && asList(app.node_args).length > 0)
      w('node_args ignored: the interpreter is not node');
    if (interpreter) {
      p.command = interpreter.includes('@') ? interpreter.slice(0, interpreter.indexOf('@')) : interpreter;
      p.args = [...interpreterArgs, command, ...asList(app.args)];
    } else {
      p.command = command;
      p.args = asList(app.args);
    }
    if (interpreter?.includes('python')) env.PYTHONUNBUFFERED = '1'; // as PM2 adds it
  }
  if (Object.keys(env).length > 0) p.env = env;
  if (app.autostart === false) p.autostart = false;

  p.restart = restartOf(app, w);
  // PM2 stops with SIGINT, then SIGKILL after kill_timeout (default 1600 ms).
  p.stop = { signal: 'SIGINT', timeout: asMs(app.kill_timeout) ?? 1600 };
  if (app.max_memory_restart !== undefined) {
    const mem = String(app.max_memory_restart)
      .trim()
      .replace(/^(\d+(?:\.\d+)?)\s*([KMG])$/i, '$1$2B');
    // PM2's worker looks every 30 s and restarts at the first look over the limit.
    p.limits = { memory: /^\d+$/.test(mem) ? Number(mem) : mem, action: 'restart', for: 0, sample_interval: '30s' };
  }
  if (typeof app.cron_restart === 'string' && app.cron_restart.trim() && app.cron_restart !== '0') {
    // PM2 starts the app now and restarts it at each cron time; an app that exited is started again then.
    p.schedule = { cron: app.cron_restart.trim(), overlap: 'restart', run_at_load: app.autostart !== false };
  }
  if (typeof app.namespace === 'string' && app.namespace) p.group = toProcessName(app.namespace);
  if (app.watch !== undefined && app.watch !== false)
    w(`watch ${JSON.stringify(app.watch)} not imported: Sentinel does not restart on file changes`);
  for (const key of ['uid', 'gid', 'user'])
    if (app[key] !== undefined)
      w(`${key}: ${String(app[key])} not imported: Sentinel runs processes as the logged-in user`);
  const logKeys = Object.keys(app).filter((k) => LOG_KEYS.test(k));
  if (logKeys.length > 0) w(`${logKeys.join(', ')} not imported: Sentinel captures output itself (sentinel logs)`);
  for (const key of Object.keys(app)) {
    if (HANDLED.has(key) || LOG_KEYS.test(key) || /^env_./.test(key) || ['uid', 'gid', 'user'].includes(key)) continue;
    w(`${key} not imported (no Sentinel equivalent)`);
  }
  return expandInstances(p, app, w);
}

function restartOf(app: Pm2App, w: (m: string) => void): RestartInput {
  // PM2 restarts on every exit, at once; only runs shorter than min_uptime count against max_restarts.
  const restart: RestartInput = {
    policy: app.autorestart === false ? 'never' : 'always',
    give_up: 'startup',
    max_retries: typeof app.max_restarts === 'number' ? app.max_restarts : 16,
    start_secs: asMs(app.min_uptime) ?? 1000,
    delay: 0,
    backoff: 1,
  };
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
    // PM2 grows the delay by 1.5× per restart up to 15 s.
    restart.delay = asMs(app.exp_backoff_restart_delay);
    restart.backoff = 1.5;
    restart.max_delay = 15_000;
    w('exp_backoff_restart_delay: the backoff starts over once the app runs min_uptime (PM2: after 30 s)');
    if (app.restart_delay !== undefined) w('restart_delay ignored because exp_backoff_restart_delay is set');
  } else if (app.restart_delay !== undefined) {
    restart.delay = asMs(app.restart_delay);
  }
  return restart;
}

/** `instances: N` (0, -1 and "max" mean the CPU count) → N processes `name-0`…, each told its NODE_APP_INSTANCE. */
function expandInstances(p: ProcessInput, app: Pm2App, w: (m: string) => void): ProcessInput[] {
  const raw = app.instances;
  const cores = cpus().length || 1;
  let n = 1;
  if (raw === 'max' || raw === 0 || raw === '0') n = cores;
  else if (raw === -1 || raw === '-1') n = Math.max(1, cores - 1);
  else if (raw !== undefined) {
    const v = Number(raw);
    if (Number.isInteger(v) && v < 0) n = Math.max(1, cores + v);
    else if (Number.isInteger(v) && v > 0) n = v;
    else w(`instances: ${JSON.stringify(raw)} is not a number: one instance`);
  }
  if (typeof raw === 'string' && raw === 'max') w(`instances: max → ${n} (the CPU count of this Mac)`);
  const cluster =
    app.exec_mode === 'cluster' ||
    app.exec_mode === 'cluster_mode' ||
    (app.exec_mode === undefined && n > 1 && p.command === 'node');
  if (n === 1) {
    if (cluster) w("exec_mode cluster: runs as one plain process (Node cluster mode's shared port is not reproduced)");
    return [p];
  }
  const instanceVar = typeof app.instance_var === 'string' ? app.instance_var : 'NODE_APP_INSTANCE';
  w(
    `instances: ${n} → processes ${p.name}-0…${p.name}-${n - 1} in group ${p.group ?? p.name}` +
      (cluster
        ? "; cluster mode's shared port is not reproduced: each instance binds its own socket, so instances that listen on one fixed port will collide (give each its own PORT)"
        : ''),
  );
  return Array.from({ length: n }, (_, k) => ({
    ...p,
    name: toProcessName(`${p.name.slice(0, 60)}-${k}`),
    group: p.group ?? p.name,
    env: { ...(p.env ?? {}), [instanceVar]: String(k) },
  }));
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}

/** Maps already-evaluated ecosystem data (a test seam; the CLI reads files with importPm2File). */
export function importPm2Data(data: unknown, file: string, opts: Pm2ImportOptions = {}): ImportResult {
  const warnings: string[] = [];
  const processes = appsOf(data, file).flatMap((app, i) => mapApp(app, i, file, opts, (m) => warnings.push(m)));
  return { config: { version: 1, processes }, warnings };
}

/** An ecosystem file (.js/.cjs/.mjs/.json/.yaml) → Sentinel config. */
export function importPm2File(file: string, text: string, opts: Pm2ImportOptions = {}): ImportResult {
  const result = importPm2Data(
    readEcosystemFile(file, text, { env: opts.processEnv, timeoutMs: opts.timeoutMs }),
    file,
    opts,
  );
  if (/process\.env\b/.test(text) && !/\.(json5?|ya?ml)$/i.test(file))
    result.warnings.push(
      `${file} reads process.env: it was evaluated with this shell's environment, so those values are fixed in the imported config (PM2 evaluates it at each pm2 start)`,
    );
  return result;
}
