/**
 * supervisord.conf (and its [include]s) → Sentinel config, with supervisord's meaning (docs/configuration.rst,
 * supervisor/process.py):
 * - `[program:x]` with `numprocs` → one process per `process_name` expansion (%(process_num)d from numprocs_start),
 *   grouped as supervisord groups them; %(here)s, %(program_name)s, %(group_name)s, %(host_node_name)s expand;
 *   %(ENV_X)s is resolved from this environment with a warning naming X (supervisord reads it when it starts);
 * - restarts: `startretries` failed starts (exits before `startsecs`) in a row → fatal; once RUNNING, a process is
 *   restarted on every unexpected exit for ever (`give_up: startup`); autorestart false/unexpected/true;
 * - `autostart`, `priority` (lower starts first: the processes are written in that order), `[group:x] programs=`
 *   across files, `[supervisord] directory=` and `environment=` passed down to programs;
 * - what cannot be kept is a warning naming the key.
 */
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { needsShell, splitCommandLine } from './command-line';
import { ImportError, toProcessName, type ImportResult, type ProcessInput, type RestartInput } from './import-result';
import { readSupervisordFiles, type SupervisordFiles } from './supervisord-files';
import { interpolate, parseEnvironment, parseSupervisordIni, type IniSection } from './supervisord-ini';

export interface SupervisordImportOptions {
  /** For %(ENV_X)s; defaults to the importing process's environment. */
  env?: Record<string, string | undefined>;
  /** The config file's path, for %(here)s when a text is imported directly. */
  file?: string;
}

const HANDLED = new Set([
  'command',
  'directory',
  'environment',
  'autostart',
  'autorestart',
  'startsecs',
  'startretries',
  'exitcodes',
  'stopsignal',
  'stopwaitsecs',
  'stopasgroup',
  'killasgroup',
  'process_name',
  'numprocs',
  'numprocs_start',
  'priority',
  'user',
]);
const LOG_KEY = /logfile|^redirect_stderr$|^std(out|err)_|^stdout$|^stderr$/;
/** supervisord's own sections: nothing to import from them (directory/environment are passed down). */
const DAEMON_SECTIONS = /^(supervisord|supervisorctl|unix_http_server|inet_http_server|include|rpcinterface:.*)$/;

const bool = (v: string | undefined): boolean | undefined =>
  v === undefined ? undefined : /^(true|yes|on|1)$/i.test(v) ? true : /^(false|no|off|0)$/i.test(v) ? false : undefined;

function integer(v: string, field: string, min = 0): number {
  const t = v.trim();
  if (!/^-?\d+$/.test(t) || Number(t) < min)
    throw new Error(`${field}: expected a whole number${min > 0 ? ` ≥ ${min}` : ''}, got ${JSON.stringify(v)}`);
  return Number(t);
}

interface Context {
  env: Record<string, string | undefined>;
  /** [supervisord] directory= and environment=, which programs inherit. */
  daemonDir?: string;
  daemonEnv: Record<string, string>;
  warn: (m: string) => void;
}

/** One [program:x] → its processes (numprocs of them). */
function mapProgram(sec: IniSection, ctx: Context): { processes: ProcessInput[]; priority: number; group: string } {
  const program = sec.name.slice('program:'.length).trim();
  const here = sec.file ? dirname(sec.file) : undefined;
  const envNotes = new Set<string>();
  const baseVars = (num: number): Record<string, string | undefined> => ({
    program_name: program,
    group_name: program,
    process_num: String(num),
    numprocs: sec.values.numprocs,
    here,
    host_node_name: hostname(),
  });
  // %(ENV_X)s: resolved now, and said so; an unknown one is left as written (string keys) or refused (numbers).
  const expand = (key: string, vars: Record<string, string | undefined>, numeric = false): string | undefined => {
    const v = sec.values[key];
    if (v === undefined) return undefined;
    return interpolate(
      v,
      new Proxy(vars, {
        get: (target, name: string) => {
          if (name in target) return target[name];
          if (name.startsWith('ENV_')) {
            const value = ctx.env[name.slice(4)];
            if (value !== undefined) envNotes.add(name.slice(4));
            return value;
          }
          return undefined;
        },
      }),
      (n) => {
        if (numeric) throw new Error(`${key}: %(${n})s is not set here (supervisord would refuse to start)`);
        ctx.warn(`${program}: %(${n})s in ${key} is not set here; left as written`);
      },
    );
  };

  const numprocs = integer(expand('numprocs', baseVars(0), true) ?? '1', 'numprocs', 1);
  const start = integer(expand('numprocs_start', baseVars(0), true) ?? '0', 'numprocs_start');
  const priority = integer(expand('priority', baseVars(0), true) ?? '999', 'priority', -Infinity);
  const nameTemplate = sec.values.process_name;
  if (numprocs > 1 && (nameTemplate === undefined || !/%\(process_num\)/.test(nameTemplate)))
    throw new Error(`numprocs=${numprocs} needs process_name with %(process_num)s (supervisord refuses it too)`);

  const processes: ProcessInput[] = [];
  for (let k = start; k < start + numprocs; k++) {
    const vars = baseVars(k);
    const rawName = nameTemplate === undefined ? program : expand('process_name', vars)!;
    processes.push(mapProcess(sec, rawName, (key, numeric) => expand(key, vars, numeric), ctx));
  }
  if (envNotes.size > 0)
    ctx.warn(
      `${program}: ${[...envNotes].map((n) => `%(ENV_${n})s`).join(', ')} resolved from this shell's environment at import time (supervisord reads ${envNotes.size > 1 ? 'them' : 'it'} when it starts)`,
    );
  return { processes, priority, group: program };
}

function mapProcess(
  sec: IniSection,
  rawName: string,
  get: (key: string, numeric?: boolean) => string | undefined,
  ctx: Context,
): ProcessInput {
  const name = toProcessName(rawName);
  const w = (m: string) => ctx.warn(`${name}: ${m}`);
  if (name !== rawName) w(`renamed from "${rawName}"`);
  const commandLine = get('command')?.replace(/\n/g, ' ');
  if (!commandLine) throw new Error('expected command=');
  const p: ProcessInput = { name, command: '' };
  if (needsShell(commandLine)) {
    // supervisord would pass these operators as plain arguments; the author surely meant a shell.
    p.command = commandLine;
    p.shell = true;
    w('command uses shell operators: imported with shell: true (supervisord itself does not use a shell)');
  } else {
    const [command, ...args] = splitCommandLine(commandLine);
    p.command = command!;
    p.args = args;
  }
  const cwd = get('directory') ?? ctx.daemonDir;
  if (cwd) p.cwd = cwd;
  const environment = get('environment');
  const env = { ...ctx.daemonEnv, ...(environment ? parseEnvironment(environment) : {}) };
  if (Object.keys(env).length > 0) p.env = env;
  const autostart = bool(get('autostart'));
  if (autostart !== undefined) p.autostart = autostart;

  // supervisord: exits before startsecs are failed starts; startretries of them in a row → FATAL. A process that
  // reached RUNNING is restarted on every unexpected exit, for ever.
  const restart: RestartInput = { give_up: 'startup', delay: '1s', backoff: 2, max_delay: '1m' };
  const autorestart = (get('autorestart') ?? 'unexpected').toLowerCase();
  restart.policy = autorestart === 'unexpected' ? 'on-failure' : bool(autorestart) ? 'always' : 'never';
  const exitcodes = get('exitcodes');
  restart.exit_codes = {
    success: exitcodes ? exitcodes.split(',').map((c) => integer(c, 'exitcodes')) : [0],
  };
  restart.start_secs = `${integer(get('startsecs', true) ?? '1', 'startsecs')}s`;
  restart.max_retries = integer(get('startretries', true) ?? '3', 'startretries');
  p.restart = restart;

  const stopsignal = get('stopsignal');
  const stopwaitsecs = get('stopwaitsecs', true);
  if (stopsignal || stopwaitsecs)
    p.stop = {
      ...(stopsignal ? { signal: stopsignal } : {}),
      ...(stopwaitsecs ? { timeout: `${integer(stopwaitsecs, 'stopwaitsecs')}s` } : {}),
    };
  const user = get('user');
  if (user) w(`user=${user} not imported: Sentinel runs processes as the logged-in user`);
  const logKeys = Object.keys(sec.values).filter((k) => LOG_KEY.test(k));
  if (logKeys.length > 0) w(`${logKeys.join(', ')} not imported: Sentinel captures output itself (sentinel logs)`);
  for (const key of Object.keys(sec.values)) {
    if (HANDLED.has(key) || LOG_KEY.test(key)) continue;
    w(`${key}=${sec.values[key]} not imported (no Sentinel equivalent)`);
  }
  return p;
}

/** Sections already read (with their files) → config. */
function importSupervisordSections(read: SupervisordFiles, opts: SupervisordImportOptions = {}): ImportResult {
  const warnings = [...read.warnings];
  const daemon = read.sections.find((s) => s.name === 'supervisord');
  const ctx: Context = {
    env: opts.env ?? process.env,
    daemonEnv: {},
    warn: (m) => warnings.push(m),
  };
  if (daemon) {
    const dvars = { here: daemon.file ? dirname(daemon.file) : undefined };
    const expandDaemon = (v: string) =>
      interpolate(v, { ...dvars, ...envVars(ctx.env) }, (n) =>
        warnings.push(`[supervisord] %(${n})s is not set here; left as written`),
      );
    if (daemon.values.directory) ctx.daemonDir = expandDaemon(daemon.values.directory);
    if (daemon.values.environment) ctx.daemonEnv = parseEnvironment(expandDaemon(daemon.values.environment));
  }
  const programs: {
    processes: ProcessInput[];
    priority: number;
    groupPriority?: number;
    group: string;
    order: number;
  }[] = [];
  const groups: IniSection[] = [];
  for (const [order, sec] of read.sections.entries()) {
    if (sec.name.startsWith('program:')) {
      try {
        programs.push({ ...mapProgram(sec, ctx), order });
      } catch (err) {
        throw new ImportError(
          sec.file ?? opts.file ?? 'supervisord.conf',
          `[${sec.name}] (line ${sec.line}): ${(err as Error).message}`,
        );
      }
    } else if (sec.name.startsWith('group:')) groups.push(sec);
    else if (DAEMON_SECTIONS.test(sec.name)) {
      if (sec.name !== 'supervisord' && sec.name !== 'include')
        warnings.push(`[${sec.name}] is supervisord's own setting: not imported`);
      const other = Object.keys(sec.values).filter((k) => k !== 'directory' && k !== 'environment');
      if (sec.name === 'supervisord' && other.length > 0)
        warnings.push(`[supervisord] ${other.join(', ')}: supervisord's own settings, not imported`);
    } else warnings.push(`[${sec.name}] not imported (only [program:x] and [group:x] are)`);
  }

  // supervisord puts numprocs > 1 in a group named after the program; [group:x] moves programs into x.
  const groupOf = new Map<string, string>();
  for (const g of groups) {
    const group = toProcessName(g.name.slice('group:'.length).trim());
    for (const member of (g.values.programs ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      if (!programs.some((p) => p.group === member))
        warnings.push(`[${g.name}] names program "${member}" which is not defined in the files read`);
      else if (groupOf.has(member)) warnings.push(`${member}: in more than one group; kept "${groupOf.get(member)}"`);
      else groupOf.set(member, group);
    }
    if (g.values.priority !== undefined) {
      const priority = integer(g.values.priority, `[${g.name}] priority`, -Infinity);
      for (const p of programs) if (groupOf.get(p.group) === group) p.groupPriority = priority;
    }
    for (const key of Object.keys(g.values))
      if (key !== 'programs' && key !== 'priority') warnings.push(`[${g.name}] ${key} not imported`);
  }
  for (const p of programs) {
    const group = groupOf.get(p.group) ?? (p.processes.length > 1 ? toProcessName(p.group) : undefined);
    if (group) for (const proc of p.processes) proc.group = group;
  }
  // Lower priority starts first (and stops last): Sentinel starts processes in config order. A [group:]'s
  // priority orders the group as a whole, its programs' own priorities order them within it.
  const rank = (p: (typeof programs)[number]) => p.groupPriority ?? p.priority;
  programs.sort((a, b) => rank(a) - rank(b) || a.priority - b.priority || a.order - b.order);
  const processes = programs.flatMap((p) => p.processes);
  if (processes.some((p) => p.restart?.give_up === 'startup'))
    warnings.push(
      'failed starts are retried after 1s, 2s, 4s … (supervisord waits 1s, 2s, 3s …); restarts after a run past startsecs come after 1s (supervisord: at once)',
    );
  return { config: { version: 1, processes }, warnings };
}

function envVars(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [`ENV_${k}`, v]));
}

/** supervisord config files (following their [include]s) → config. */
export function importSupervisordFiles(paths: readonly string[], opts: SupervisordImportOptions = {}): ImportResult {
  return importSupervisordSections(readSupervisordFiles(paths), opts);
}

/** One config text (no [include] is followed: there is no file to be relative to) → config. */
export function importSupervisord(text: string, opts: SupervisordImportOptions = {}): ImportResult {
  const source = opts.file ?? 'supervisord.conf';
  let sections: IniSection[];
  try {
    sections = parseSupervisordIni(text);
  } catch (err) {
    throw new ImportError(source, (err as Error).message);
  }
  for (const s of sections) s.file = opts.file;
  const includes = sections.filter((s) => s.name === 'include');
  const result = importSupervisordSections({ sections, files: opts.file ? [opts.file] : [], warnings: [] }, opts);
  if (includes.length > 0)
    result.warnings.push('[include] not followed when importing a text; import the file instead');
  return result;
}
