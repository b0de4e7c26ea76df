import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { importFiles } from '../../src-main/core/importers';

const FIX = join(__dirname, '../fixtures/import');

describe('importFiles', () => {
  it('reads and dispatches by kind', () => {
    expect(importFiles('pm2', [join(FIX, 'ecosystem.config.js')]).config.processes).toHaveLength(3);
    expect(importFiles('pm2', [join(FIX, 'ecosystem.json')]).config.processes).toHaveLength(1);
    expect(importFiles('supervisord', [join(FIX, 'supervisord.conf')]).config.processes).toHaveLength(3);
    expect(
      importFiles('launchd', [join(FIX, 'com.example.sync.plist'), join(FIX, 'com.example.backup.plist')]).config
        .processes,
    ).toHaveLength(2);
  });
  it('names the problem', () => {
    expect(() => importFiles('pm2', [])).toThrow(/pm2: expected at least one file/);
    expect(() => importFiles('supervisord', ['a', 'b'])).toThrow(/expected one file, got 2/);
    expect(() => importFiles('launchd', [join(FIX, 'missing.plist')])).toThrow(/missing\.plist: cannot read the file/);
  });
});
