/** Which calls the quick path takes (everything else goes to the full commander program, with its messages). */
import { describe, expect, it } from 'vitest';
import { quickCall } from '../../src-main/cli/quick/argv';

describe('quickCall', () => {
  it('takes status, start/stop/restart and logs written the plain way', () => {
    expect(quickCall(['status', '--json', '--data-dir', '/d'])).toEqual({
      command: 'status',
      json: true,
      color: undefined,
      dataDir: '/d',
      config: undefined,
    });
    expect(quickCall(['--no-color', 'restart', 'web', '--data-dir=/d', '--color'])).toMatchObject({
      command: 'restart',
      name: 'web',
      dataDir: '/d',
      color: true,
      all: false,
    });
    expect(quickCall(['stop', '--group', 'g'])).toMatchObject({ command: 'stop', group: 'g', all: false });
    expect(quickCall(['start', '--all'])).toMatchObject({ command: 'start', all: true });
    expect(quickCall(['logs', 'web', '--grep', 'err', '--since', '10m', '--lines', '5'])).toMatchObject({
      command: 'logs',
      name: 'web',
      grep: 'err',
      since: '10m',
      lines: '5',
    });
  });

  it.each([
    [[]],
    [['--help']],
    [['status', '--help']],
    [['-V']],
    [['status', 'extra']],
    [['status', '--json', '--json']],
    [['status', '--bogus']],
    [['status', '--json=1']],
    [['status', '--data-dir']],
    [['status', '--data-dir', '--color']],
    [['stop', 'a', 'b']],
    [['logs', '-f']],
    [['logs', '--follow']],
    [['logs', '--grep', '-x']],
    [['logs', '--', 'web']],
    [['config', 'validate']],
    [['--data-dir', '/d', 'status']],
  ])('leaves %j to the full program', (args) => {
    expect(quickCall(args)).toBeUndefined();
  });
});
