/** launchd plists written from launchd.plist(5), imported with launchd's meaning. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFiles, importLaunchd } from '../../../src-main/core/importers';
import { byName, expectWarnings, FIX, roundTrip } from './support';

const at = (f: string) => join(FIX, 'launchd', f);
const plist = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><dict><key>Label</key><string>job</string><key>Program</key><string>/bin/job</string>${body}</dict></plist>`;

describe('launchd plists', () => {
  const files = [
    'com.example.keepalive',
    'com.example.sync',
    'com.example.backup',
    'com.example.ondemand',
    'com.example.watcher',
  ];
  const r = importFiles(
    'launchd',
    files.map((f) => at(`${f}.plist`)),
  );
  const p = byName(roundTrip(r));

  it('KeepAlive true: restarted for ever, ThrottleInterval apart', () => {
    expect(p['com.example.keepalive']).toMatchObject({
      command: '/usr/local/bin/tunnel',
      args: ['--reconnect'],
      autostart: true,
      restart: { policy: 'always', give_up: 'never', delay: 5000, backoff: 1 },
    });
  });

  it('KeepAlive dict with SuccessfulExit=false: restarted after failures, for ever (10 s default throttle → its 30 s)', () => {
    expect(p['com.example.sync']).toMatchObject({
      cwd: '/Users/me',
      env: { SYNC_TOKEN: 'not-a-real-token', LOG_LEVEL: 'info' },
      autostart: true,
      restart: { policy: 'on-failure', give_up: 'never', delay: 30_000 },
      stop: { timeout: 15_000 },
    });
  });

  it('every StartCalendarInterval entry is kept, and RunAtLoad next to the schedule', () => {
    expect(p['com.example.backup']!.schedule).toMatchObject({
      cron: ['15 3 * * 1', '30 12 * * 0'],
      catch_up: 'last',
      run_at_load: true,
    });
    expect(p['com.example.backup']!.restart.policy).toBe('never');
  });

  it('on-demand triggers: started at load and kept alive, each change named', () => {
    expect(p['com.example.ondemand']).toMatchObject({
      autostart: true,
      restart: { policy: 'always', give_up: 'never', delay: 10_000 },
    });
    expect(p['com.example.watcher']!.schedule).toMatchObject({ every: 3_600_000, run_at_load: true });
  });

  it('warns about each thing it changes, by name', () => {
    expectWarnings(r.warnings, [
      /^com\.example\.keepalive: restarted 5s after each exit, for ever/,
      /^com\.example\.keepalive: StandardErrorPath not imported: Sentinel captures output itself/,
      /^com\.example\.sync: KeepAlive\.NetworkState true not imported \(launchd no longer implements it\): started at load and kept alive regardless/,
      /^com\.example\.sync: restarted 30s after each exit/,
      /^com\.example\.sync: StandardOutPath not imported/,
      /^com\.example\.sync: UserName not imported: Sentinel runs processes as the logged-in user, not as "me"/,
      /^com\.example\.backup: LowPriorityIO not imported/,
      /^com\.example\.ondemand: KeepAlive\.PathState .* \(Sentinel does not watch paths\): started at load and kept alive regardless/,
      /^com\.example\.ondemand: restarted 10s after each exit/,
      /^com\.example\.ondemand: Sockets not imported: started at load instead of on the first connection/,
      /^com\.example\.watcher: WatchPaths not imported: Sentinel does not start jobs when a path changes$/,
    ]);
  });
});

describe('launchd details', () => {
  const one = (body: string) => {
    const r = importLaunchd(plist(body), 'job.plist');
    return { p: roundTrip(r).processes[0]!, warnings: r.warnings };
  };
  it.each<[string, string, Record<string, unknown>]>([
    ['no keys: runs once, by hand', '', { autostart: false, restart: { policy: 'never' } }],
    [
      'RunAtLoad alone: runs once at load',
      '<key>RunAtLoad</key><true/>',
      { autostart: true, restart: { policy: 'never' } },
    ],
    [
      'StartInterval',
      '<key>StartInterval</key><integer>300</integer>',
      { schedule: { every: 300_000, run_at_load: false } },
    ],
    [
      'Calendar dict',
      '<key>StartCalendarInterval</key><dict><key>Hour</key><integer>3</integer></dict>',
      { schedule: { cron: '* 3 * * *' } },
    ],
    [
      'Crashed=true',
      '<key>KeepAlive</key><dict><key>Crashed</key><true/></dict>',
      { restart: { policy: 'on-failure', give_up: 'never' } },
    ],
    ['Disabled', '<key>RunAtLoad</key><true/><key>Disabled</key><true/>', { autostart: false }],
    ['a Unicode label', '', {}],
  ])('%s', (_what, body, shape) => expect(one(body).p).toMatchObject(shape));

  it('a job nothing starts says so', () => {
    expect(one('').warnings).toEqual([
      'job: no RunAtLoad, KeepAlive or schedule: launchd starts it only on demand; under Sentinel only by hand (sentinel start)',
    ]);
    expect(one('<key>QueueDirectories</key><array><string>/q</string></array>').warnings).toEqual([
      'job: QueueDirectories not imported: Sentinel does not start jobs when a directory fills; nothing else starts it, so it starts only by hand (sentinel start)',
    ]);
  });

  it('keeps a Unicode label as the name', () => {
    const r = importLaunchd(
      plist('').replace('<string>job</string>', '<string>com.beispiel.größe</string>'),
      'x.plist',
    );
    expect(roundTrip(r).processes[0]!.name).toBe('com.beispiel.größe');
  });
});
