/** supervisord.conf → Sentinel config: `[program:x]` → processes, `[group:g]` → their group. */
import { dirname } from 'node:path';
import { needsShell, splitCommandLine } from './command-line';
import { ImportError, toProcessName, type ImportResult, type ProcessInput, type RestartInput } from './import-result';
import { interpolate, parseEnvironment, parseSupervisordIni, type IniSection } from './supervisord-ini';

export interface SupervisordImportOptions {
  /** For %(ENV_X)s; defaults to the importing process's environment. */
  env?: Record<string, string | undefined>;
  /** The config file's path, for %(here)s. */
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
]);
/** supervisord's own sections: nothing to import from them. */
const DAEMON_SECTIONS = /^(supervisord|supervisorctl|unix_http_server|inet_http_server|include|rpcinterface:.*)$/;

const bool = (v: string | undefined): boolean | undefined =>
  v === undefined ? undefined : /^(true|yes|on|1)$/i.test(v) ? true : /^(false|no|off|0)$/i.test(v) ? false : undefined;
const seconds = (v: string, field: string): string => {
  if (!/^\d+$/.test(v.trim())) throw new Error(`${field}: expected a number of seconds, got ${JSON.stringify(v)}`);
  return `${v.trim()}s`;
};

function mapProgram(sec: IniSection, opts: SupervisordImportOptions, warn: (m: string) => void): ProcessInput {
  const program = sec.name.slice('program:'.length).trim();
  const name = toProcessName(program);
  const w = (m: string) => warn(`${name}: ${m}`);
  const vars: Record<string, string | undefined> = {
    ...Object.fromEntries(Object.entries(opts.env ?? process.env).map(([k, v]) => [`ENV_${k}`, v])),
    program_name: program,
    process_num: '0',
    group_name: program,
    here: opts.file ? dirname(opts.file) : undefined,
    host_node_name: undefined,
  };
  const get = (key: string): string | undefined => {
    const v = sec.values[key];
    return v === undefined
      ? undefined
      : interpolate(v, vars, (n) => w(`%(${n})s in ${key} is not known here; left as written`));
  };
  const commandLine = get('command');
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
  const cwd = get('directory');
  if (cwd) p.cwd = cwd;
  const environment = get('environment');
  if (environment) p.env = parseEnvironment(environment);
  const autostart = bool(get('autostart'));
  if (autostart !== undefined) p.autostart = autostart;

  const restart: RestartInput = {};
  const autorestart = (get('autorestart') ?? 'unexpected').toLowerCase();
  restart.policy = autorestart === 'unexpected' ? 'on-failure' : bool(autorestart) ? 'always' : 'never';
  const exitcodes = get('exitcodes');
  if (exitcodes) restart.exit_codes = { success: exitcodes.split(',').map((c) => Number(c.trim())) };
  const startsecs = get('startsecs');
  if (startsecs !== undefined) restart.start_secs = seconds(startsecs, 'startsecs');
  const startretries = get('startretries');
  if (startretries !== undefined) restart.max_retries = Number(startretries);
  // supervisord waits 1 s, 2 s, 3 s … between failed starts; Sentinel's default backoff (1 s doubling) is kept.
  p.restart = restart;

  const stopsignal = get('stopsignal');
  const stopwaitsecs = get('stopwaitsecs');
  if (stopsignal || stopwaitsecs)
    p.stop = {
      ...(stopsignal ? { signal: stopsignal } : {}),
      ...(stopwaitsecs ? { timeout: seconds(stopwaitsecs, 'stopwaitsecs') } : {}),
    };
  if (sec.values.stopasgroup !== undefined || sec.values.killasgroup !== undefined)
    w('stopasgroup/killasgroup not needed: Sentinel always signals the whole process group');
  const numprocs = get('numprocs');
  if (numprocs !== undefined && numprocs !== '1') w(`numprocs=${numprocs} not supported: imported as one process`);
  if (sec.values.process_name !== undefined) w('process_name not used: the process is named after [program:x]');
  for (const key of Object.keys(sec.values)) {
    if (HANDLED.has(key)) continue;
    const why =
      key === 'user'
        ? 'Sentinel runs processes as the logged-in user'
        : /logfile|^redirect_stderr$|^std(out|err)_/.test(key)
          ? 'Sentinel captures output itself'
          : key === 'priority'
            ? 'start order is not configurable'
            : 'no Sentinel equivalent';
    w(`${key}=${sec.values[key]} not imported (${why})`);
  }
  return p;
}

export function importSupervisord(text: string, opts: SupervisordImportOptions = {}): ImportResult {
  const source = opts.file ?? 'supervisord.conf';
  let sections: IniSection[];
  try {
    sections = parseSupervisordIni(text);
  } catch (err) {
    throw new ImportError(source, (err as Error).message);
  }
  const warnings: string[] = [];
  const processes: ProcessInput[] = [];
  const groups: IniSection[] = [];
  for (const sec of sections) {
    if (sec.name.startsWith('program:')) {
      try {
        processes.push(mapProgram(sec, opts, (m) => warnings.push(m)));
      } catch (err) {
        throw new ImportError(source, `[${sec.name}] (line ${sec.line}): ${(err as Error).message}`);
      }
    } else if (sec.name.startsWith('group:')) groups.push(sec);
    else if (DAEMON_SECTIONS.test(sec.name)) warnings.push(`[${sec.name}] is supervisord's own setting: not imported`);
    else warnings.push(`[${sec.name}] not imported (only [program:x] and [group:x] are)`);
  }
  for (const g of groups) {
    const group = toProcessName(g.name.slice('group:'.length).trim());
    for (const member of (g.values.programs ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const p = processes.find((x) => x.name === toProcessName(member));
      if (!p) warnings.push(`[${g.name}] names program "${member}" which is not defined`);
      else if (p.group) warnings.push(`${p.name}: in more than one group; kept "${p.group}"`);
      else p.group = group;
    }
    for (const key of Object.keys(g.values)) if (key !== 'programs') warnings.push(`[${g.name}] ${key} not imported`);
  }
  return { config: { version: 1, processes }, warnings };
}
