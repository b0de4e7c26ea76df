/**
 * The files `sentinel service install` writes, validated by their own tools: the LaunchAgent plist parsed back
 * (the plist package, as launchd reads XML plists), the systemd unit checked by `systemd-analyze verify` where it
 * exists (stderr must stay empty: it only warns about what it ignores), else parsed as an INI-like unit.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import plist from 'plist';
import { afterEach, describe, expect, it } from 'vitest';
import { launchAgentPlist, parseLaunchctlPrint } from '../../src-main/platform/darwin/launch-agent';
import { systemdUnit, unitWord } from '../../src-main/platform/linux/systemd-unit';
import { serviceName, type ServiceDef } from '../../src-main/platform/service-def';
import { tempDir } from '../helpers/tmp';

const def = (over: Partial<ServiceDef> = {}): ServiceDef => ({
  name: 'app.sentinel.run',
  programArgs: [
    process.execPath,
    '/opt/my apps/sentinel/cli.js',
    'run',
    '--data-dir',
    '/Users/me/Sentinel 100%',
    '--config',
    '/Users/me/$HOME/s.yaml',
  ],
  dataDir: '/Users/me/Sentinel 100%',
  logDir: '/Users/me/Sentinel 100%/logs',
  env: { SENTINEL_DATA_DIR: '/Users/me/Sentinel 100%', PATH: '/opt/homebrew/bin:/usr/bin:/bin' },
  stopTimeoutMs: 45_000,
  description: 'Sentinel supervisor (data dir /Users/me/Sentinel 100%)',
  ...over,
});

describe('LaunchAgent plist', () => {
  it('parses back to what launchd needs', () => {
    const parsed = plist.parse(launchAgentPlist(def())) as Record<string, unknown>;
    expect(parsed).toEqual({
      Label: 'app.sentinel.run',
      ProgramArguments: def().programArgs,
      RunAtLoad: true,
      KeepAlive: true,
      ThrottleInterval: 10,
      ExitTimeOut: 45,
      WorkingDirectory: '/Users/me/Sentinel 100%',
      EnvironmentVariables: def().env,
      StandardOutPath: '/Users/me/Sentinel 100%/logs/service.out.log',
      StandardErrorPath: '/Users/me/Sentinel 100%/logs/service.err.log',
    });
  });

  it('escapes what XML would misread', () => {
    const text = launchAgentPlist(def({ programArgs: ['/bin/node', '<&>"'] }));
    expect((plist.parse(text) as { ProgramArguments: string[] }).ProgramArguments).toEqual(['/bin/node', '<&>"']);
  });

  it('reads state and pid from launchctl print', () => {
    const out = 'gui/501/app.sentinel.run = {\n\tactive count = 1\n\tstate = running\n\tpid = 4242\n}';
    expect(parseLaunchctlPrint(out)).toEqual({ state: 'running', pid: 4242 });
    expect(parseLaunchctlPrint('gui/501/x = {\n\tstate = not running\n}')).toEqual({ state: 'not running', pid: null });
  });
});

describe('systemd user unit', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  it('passes systemd-analyze verify (or parses) with spaces, % and $ in paths', () => {
    const t = tempDir('sentinel-unit-');
    cleanups.push(t.cleanup);
    // verify checks that ExecStart exists: point it at real files.
    const script = join(t.dir, 'cli dir.js');
    writeFileSync(script, '');
    const unit = systemdUnit(
      def({
        programArgs: [process.execPath, script, 'run', '--data-dir', '/tmp/a b%', '--config', '/x/$HOME'],
        dataDir: t.dir,
      }),
    );
    const file = join(t.dir, 'sentinel.service');
    writeFileSync(file, unit);
    const verify = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
    if (!verify.error) {
      expect(verify.stderr).toBe('');
      expect(verify.status).toBe(0);
    }
    // Parsed either way: the sections and the keys that matter.
    const sections = new Map<string, Map<string, string[]>>();
    let current: Map<string, string[]> | undefined;
    for (const line of unit.split('\n')) {
      const header = /^\[(\w+)\]$/.exec(line);
      if (header) sections.set(header[1]!, (current = new Map()));
      else if (line.includes('=')) {
        const [k, ...v] = line.split('=');
        current!.set(k!, [...(current!.get(k!) ?? []), v.join('=')]);
      }
    }
    const svc = sections.get('Service')!;
    expect(svc.get('ExecStart')).toEqual([
      `${process.execPath} "${script}" run --data-dir "/tmp/a b%%" --config /x/$$HOME`,
    ]);
    expect(svc.get('Restart')).toEqual(['always']);
    expect(svc.get('KillMode')).toEqual(['mixed']);
    expect(svc.get('TimeoutStopSec')).toEqual(['45']);
    expect(svc.get('Environment')).toContain('"SENTINEL_DATA_DIR=/Users/me/Sentinel 100%%"');
    expect(sections.get('Install')!.get('WantedBy')).toEqual(['default.target']);
  });

  it('systemd-analyze finds a broken unit (the check above can fail)', () => {
    const t = tempDir('sentinel-unit-');
    cleanups.push(t.cleanup);
    const file = join(t.dir, 'broken.service');
    writeFileSync(file, systemdUnit(def({ programArgs: ['/nonexistent/node', 'x'] })));
    const verify = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
    if (verify.error) return; // not installed here: the parse above is the check
    expect(verify.status).not.toBe(0);
  });

  it.each([
    ['/usr/bin/node', '/usr/bin/node'],
    ['/a b/c', '"/a b/c"'],
    ['50%', '50%%'],
    ['$HOME', '$$HOME'],
    ['say "hi"\\', '"say \\"hi\\"\\\\"'],
  ])('unit word %s → %s', (word, out) => {
    expect(unitWord(word)).toBe(out);
  });
});

describe('service names', () => {
  it('the default data dir gets the plain name, any other a stable suffix', () => {
    expect(serviceName('sentinel', '/home/me/.local/share/sentinel', true, '-')).toBe('sentinel');
    const other = serviceName('sentinel', '/srv/other', false, '-');
    expect(other).toMatch(/^sentinel-[0-9a-f]{8}$/);
    expect(serviceName('sentinel', '/srv/other', false, '-')).toBe(other);
    expect(serviceName('sentinel', '/srv/another', false, '-')).not.toBe(other);
  });
});
