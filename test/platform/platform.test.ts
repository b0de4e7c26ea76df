import { describe, expect, it } from 'vitest';
import { currentPlatform, platformByName } from '../../src-main/platform/index';
import { checkServiceLabel } from '../../src-main/platform/service-label';

describe('service restart commands', () => {
  it.each(['io.netbird.client', 'netbird.service', 'getty@tty1', 'a:b-c_d'])('accepts %s', (label) => {
    expect(platformByName('linux').serviceRestartCommand(label)).toEqual(['systemctl', 'restart', label]);
    expect(platformByName('darwin').serviceRestartCommand(label)).toEqual([
      'launchctl',
      'kickstart',
      '-k',
      `system/${label}`,
    ]);
  });

  it.each(['--now', '', 'a b', 'x;rm -rf /', '../etc'])('rejects %j, naming the label', (label) => {
    expect(() => platformByName('linux').serviceRestartCommand(label)).toThrow(`service label "${label}" is invalid`);
    expect(() => checkServiceLabel(label)).toThrow(/expected letters, digits/);
  });

  it('picks platforms by name and for this machine', () => {
    expect(currentPlatform().name).toBe(process.platform === 'darwin' ? 'darwin' : 'linux');
    expect(() => platformByName('win32')).toThrow('platform: "win32" is not supported (expected "darwin" or "linux")');
  });
});
