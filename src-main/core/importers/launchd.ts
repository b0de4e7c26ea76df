/** launchd property lists (LaunchAgents/LaunchDaemons) → Sentinel config, one process per plist. */
import plist from 'plist';
import { calendarToCron, type CalendarInterval } from './calendar-cron';
import { ImportError, toProcessName, type ImportResult, type ProcessInput, type RestartInput } from './import-result';

const HANDLED = new Set([
  'Label',
  'Program',
  'ProgramArguments',
  'KeepAlive',
  'RunAtLoad',
  'StartInterval',
  'StartCalendarInterval',
  'ThrottleInterval',
  'EnvironmentVariables',
  'WorkingDirectory',
  'ExitTimeOut',
  'Disabled',
]);

const isDict = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

export function importLaunchd(xml: string, source = 'launchd plist'): ImportResult {
  let doc: unknown;
  try {
    doc = plist.parse(xml);
  } catch (err) {
    throw new ImportError(source, `not a property list: ${(err as Error).message}`);
  }
  if (!isDict(doc)) throw new ImportError(source, 'expected a <dict> at the top');
  const warnings: string[] = [];
  const label = typeof doc.Label === 'string' ? doc.Label : undefined;
  if (!label) throw new ImportError(source, 'expected Label');
  const name = toProcessName(label);
  const w = (m: string) => warnings.push(`${name}: ${m}`);
  if (name !== label) w(`renamed from "${label}"`);

  const argv = Array.isArray(doc.ProgramArguments) ? doc.ProgramArguments.map(String) : [];
  // With both, Program is the executable and ProgramArguments[0] only argv[0].
  const command = typeof doc.Program === 'string' ? doc.Program : argv[0];
  if (!command) throw new ImportError(source, 'expected Program or ProgramArguments');
  const p: ProcessInput = { name, command, args: argv.slice(1) };
  if (typeof doc.Program === 'string' && argv[0] !== undefined && argv[0] !== doc.Program)
    w(`argv[0] "${argv[0]}" differs from Program; Sentinel passes the program path as argv[0]`);
  if (typeof doc.WorkingDirectory === 'string') p.cwd = doc.WorkingDirectory;
  if (isDict(doc.EnvironmentVariables))
    p.env = Object.fromEntries(Object.entries(doc.EnvironmentVariables).map(([k, v]) => [k, String(v)]));

  // launchd's default: run once, never keep alive.
  const restart: RestartInput = { policy: 'never' };
  const keepAlive = doc.KeepAlive;
  if (keepAlive === true) restart.policy = 'always';
  else if (isDict(keepAlive)) {
    if (keepAlive.SuccessfulExit === false) restart.policy = 'on-failure';
    else if (keepAlive.SuccessfulExit === true) {
      restart.policy = 'always';
      w(
        'KeepAlive.SuccessfulExit=true (restart only after a clean exit) has no exact equivalent: restart policy "always"',
      );
    }
    if (keepAlive.Crashed === true && restart.policy === 'never') {
      restart.policy = 'on-failure';
      w('KeepAlive.Crashed=true mapped to on-failure (restarts after any failed exit, not only signals)');
    } else if (keepAlive.Crashed === false) w('KeepAlive.Crashed=false not supported');
    for (const k of Object.keys(keepAlive))
      if (k !== 'SuccessfulExit' && k !== 'Crashed') w(`KeepAlive.${k} not supported (no Sentinel equivalent)`);
  }
  if (typeof doc.ThrottleInterval === 'number') {
    restart.delay = `${doc.ThrottleInterval}s`;
    restart.backoff = 1; // launchd throttles with a fixed interval
  }
  p.restart = restart;
  p.autostart = doc.RunAtLoad === true || keepAlive === true;
  if (doc.Disabled === true) {
    p.autostart = false;
    w('Disabled=true: imported with autostart: false');
  }
  if (typeof doc.ExitTimeOut === 'number') p.stop = { timeout: `${doc.ExitTimeOut}s` };

  // launchd coalesces runs missed while asleep into one run on wake: catch_up: last.
  if (typeof doc.StartInterval === 'number') p.schedule = { every: `${doc.StartInterval}s`, catch_up: 'last' };
  if (doc.StartCalendarInterval !== undefined) {
    if (p.schedule) w('StartCalendarInterval ignored because StartInterval is set (one schedule per process)');
    else {
      try {
        const { cron, dropped } = calendarToCron(doc.StartCalendarInterval as CalendarInterval | CalendarInterval[]);
        p.schedule = { cron, catch_up: 'last' };
        if (dropped > 0)
          w(`StartCalendarInterval has ${dropped + 1} intervals that are not one cron line; only the first imported`);
      } catch (err) {
        w(`${(err as Error).message}; not imported`);
      }
    }
  }
  if (p.schedule && doc.RunAtLoad === true) w('RunAtLoad with a schedule: Sentinel starts it on the schedule only');

  for (const key of Object.keys(doc)) {
    if (HANDLED.has(key)) continue;
    const why =
      key === 'UserName' || key === 'GroupName'
        ? 'Sentinel runs processes as the logged-in user'
        : /^Standard(Out|Error|In)Path$/.test(key)
          ? 'Sentinel captures output itself'
          : 'no Sentinel equivalent';
    w(`${key} not imported (${why})`);
  }
  return { config: { version: 1, processes: [p] }, warnings };
}

/** Several plists (one job each) into one config. */
export function importLaunchdMany(files: { xml: string; source: string }[]): ImportResult {
  const results = files.map((f) => importLaunchd(f.xml, f.source));
  return {
    config: { version: 1, processes: results.flatMap((r) => r.config.processes ?? []) },
    warnings: results.flatMap((r) => r.warnings),
  };
}
