import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFiles, joinResults } from '../../../src-main/core/importers';
import { FIX } from './support';

describe('importFiles', () => {
  it('takes several files of one kind into one config', () => {
    const pm2 = importFiles('pm2', [join(FIX, 'pm2/ecosystem.json'), join(FIX, 'pm2/ecosystem.yaml')]);
    expect(pm2.config.processes!.map((p) => p.name)).toEqual([
      'static',
      'py',
      'yaml-app-0',
      'yaml-app-1',
      'yaml-app-2',
    ]);
    const launchd = importFiles('launchd', [
      join(FIX, 'launchd/com.example.sync.plist'),
      join(FIX, 'launchd/com.example.backup.plist'),
    ]);
    expect(launchd.config.processes).toHaveLength(2);
  });
  it('renames a name another file already used, and says so', () => {
    const r = joinResults([
      { config: { processes: [{ name: 'web', command: 'a' }] }, warnings: [] },
      { config: { processes: [{ name: 'web', command: 'b' }] }, warnings: [] },
    ]);
    expect(r.config.processes!.map((p) => p.name)).toEqual(['web', 'web-2']);
    expect(r.warnings).toEqual(['web: the name is used by another file; renamed to web-2']);
  });
  it('names the problem', () => {
    expect(() => importFiles('pm2', [])).toThrow(/pm2: expected at least one file/);
    expect(() => importFiles('launchd', [join(FIX, 'missing.plist')])).toThrow(/missing\.plist: cannot read the file/);
    expect(() => importFiles('launchd', [join(FIX, 'x.plist')], { env: 'production' })).toThrow(/--env applies to pm2/);
  });
});
