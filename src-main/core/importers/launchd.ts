/**
 * launchd property lists (LaunchAgents/LaunchDaemons) → Sentinel config, one process per plist, with launchd's
 * meaning (launchd.plist(5)):
 * - KeepAlive true, or a KeepAlive dict: restarted for ever (launchd never gives up), ThrottleInterval (default
 *   10 s) between starts, a fixed delay; SuccessfulExit=false / Crashed=true restart only after a failure;
 * - RunAtLoad starts it at load, also next to a schedule; StartInterval and every StartCalendarInterval entry;
 * - EnvironmentVariables, WorkingDirectory, ExitTimeOut, Disabled;
 * - on-demand triggers Sentinel has no equivalent for (PathState, NetworkState, OtherJobEnabled, Sockets,
 *   WatchPaths, QueueDirectories, StartOnMount) and keys it ignores (UserName, StandardOutPath …) each give a
 *   warning that says what the job does under Sentinel instead — a job is never silently left to never start.
 */
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
  'Sockets',
  'WatchPaths',
  'QueueDirectories',
  'StartOnMount',
  'AbandonProcessGroup',
]);

/** On-demand triggers: launchd starts the job when they fire; Sentinel cannot watch for them. */
const TRIGGERS = {
  Sockets:
    'started at load instead of on the first connection (Sentinel does not hold the socket; the program must listen itself)',
  WatchPaths: 'Sentinel does not start jobs when a path changes',
  QueueDirectories: 'Sentinel does not start jobs when a directory fills',
  StartOnMount: 'Sentinel does not start jobs when a volume mounts',
} as const;

const isDict = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** launchd spawns a job at most once per ThrottleInterval (10 s by default). */
const DEFAULT_THROTTLE_S = 10;

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

  // launchd's default: run once (at load, on a schedule or on demand), never keep alive.
  const throttle = typeof doc.ThrottleInterval === 'number' ? doc.ThrottleInterval : DEFAULT_THROTTLE_S;
  const restart: RestartInput = { policy: 'never' };
  const keepAlive = doc.KeepAlive;
  let keptAlive = false;
  if (keepAlive === true) {
    restart.policy = 'always';
    keptAlive = true;
  } else if (isDict(keepAlive)) {
    keptAlive = true;
    restart.policy = 'always';
    if (keepAlive.SuccessfulExit === false || keepAlive.Crashed === true) restart.policy = 'on-failure';
    if (keepAlive.SuccessfulExit === true)
      w(
        'KeepAlive.SuccessfulExit=true (restart only after a clean exit) has no exact equivalent: restarted after every exit',
      );
    if (keepAlive.Crashed === true && keepAlive.SuccessfulExit !== false)
      w('KeepAlive.Crashed=true: restarted after any failed exit (a non-zero code too), not only after a signal');
    if (keepAlive.Crashed === false)
      w('KeepAlive.Crashed=false (not after a crash) has no equivalent: restarted after failures too');
    for (const k of Object.keys(keepAlive)) {
      if (k === 'SuccessfulExit' || k === 'Crashed') continue;
      const why =
        k === 'NetworkState'
          ? 'launchd no longer implements it'
          : k === 'PathState'
            ? 'Sentinel does not watch paths'
            : k === 'OtherJobEnabled'
              ? 'Sentinel does not follow other launchd jobs'
              : 'no Sentinel equivalent';
      w(
        `KeepAlive.${k} ${JSON.stringify(keepAlive[k])} not imported (${why}): started at load and kept alive regardless`,
      );
    }
  } else if (keepAlive !== undefined && keepAlive !== false)
    w(`KeepAlive ${JSON.stringify(keepAlive)} not understood: not kept alive`);
  if (keptAlive) {
    // launchd never gives up on a kept-alive job; it only spaces the starts by ThrottleInterval.
    restart.give_up = 'never';
    restart.delay = `${throttle}s`;
    restart.backoff = 1;
    restart.max_delay = `${Math.max(throttle, 1)}s`;
    w(
      `restarted ${throttle}s after each exit, for ever (launchd: at most one start per ${throttle}s, so a job that ran longer comes back at once)`,
    );
  } else if (typeof doc.ThrottleInterval === 'number') {
    restart.delay = `${throttle}s`;
    restart.backoff = 1;
  }
  p.restart = restart;

  if (typeof doc.ExitTimeOut === 'number') p.stop = { timeout: `${doc.ExitTimeOut}s` };

  // launchd coalesces runs missed while asleep into one run on wake: catch_up: last.
  if (typeof doc.StartInterval === 'number') {
    if (doc.StartInterval < 1) w(`StartInterval ${doc.StartInterval} is below 1s: runs every 1s`);
    p.schedule = { every: `${Math.max(1, doc.StartInterval)}s`, catch_up: 'last' };
  }
  if (doc.StartCalendarInterval !== undefined) {
    try {
      const crons = calendarToCron(doc.StartCalendarInterval as CalendarInterval | CalendarInterval[]);
      if (p.schedule)
        w(`StartInterval and StartCalendarInterval both set: only StartInterval imported (one schedule per process)`);
      else p.schedule = { cron: crons.length === 1 ? crons[0]! : crons, catch_up: 'last' };
    } catch (err) {
      w(`${(err as Error).message}; not imported`);
    }
  }

  const triggers = (Object.keys(TRIGGERS) as (keyof typeof TRIGGERS)[]).filter((k) => doc[k] !== undefined);
  const atLoad = doc.RunAtLoad === true || keptAlive || doc.Sockets !== undefined;
  if (p.schedule) {
    // A scheduled job with RunAtLoad also runs once when loaded; a kept-alive one runs all the time.
    if (atLoad) p.schedule.run_at_load = true;
    p.autostart = true;
  } else p.autostart = atLoad;
  for (const k of triggers) {
    const lost = p.autostart ? '' : '; nothing else starts it, so it starts only by hand (sentinel start)';
    w(`${k} not imported: ${TRIGGERS[k]}${lost}`);
  }
  if (!p.autostart && triggers.length === 0)
    w(
      'no RunAtLoad, KeepAlive or schedule: launchd starts it only on demand; under Sentinel only by hand (sentinel start)',
    );
  if (doc.Disabled === true) {
    p.autostart = false;
    w('Disabled=true: imported with autostart: false');
  }
  if (doc.AbandonProcessGroup === true)
    w('AbandonProcessGroup=true not imported: Sentinel stops the whole process group, as launchd does by default');

  for (const key of Object.keys(doc)) {
    if (HANDLED.has(key)) continue;
    const why =
      key === 'UserName' || key === 'GroupName' || key === 'InitGroups'
        ? `Sentinel runs processes as the logged-in user, not as ${JSON.stringify(doc[key])}`
        : /^Standard(Out|Error)Path$/.test(key)
          ? `Sentinel captures output itself, see sentinel logs; nothing is written to ${String(doc[key])}`
          : key === 'StandardInPath'
            ? 'stdin is not connected'
            : 'no Sentinel equivalent';
    w(`${key} not imported: ${why}`);
  }
  return { config: { version: 1, processes: [p] }, warnings };
}
