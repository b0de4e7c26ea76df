import { describe, expect, it } from 'vitest';
import { diffConfigs, diffNamed } from '../../../src-main/core/config/diff';
import { loadConfigText } from '../../../src-main/core/config/load';

describe('diffNamed', () => {
  it.each<[string, Array<{ name: string; v: unknown }>, Array<{ name: string; v: unknown }>, object]>([
    ['nothing', [], [], { added: [], removed: [], changed: [], unchanged: [] }],
    [
      'added and removed',
      [{ name: 'a', v: 1 }],
      [{ name: 'b', v: 1 }],
      { added: ['b'], removed: ['a'], changed: [], unchanged: [] },
    ],
    [
      'changed and unchanged',
      [
        { name: 'a', v: 1 },
        { name: 'b', v: 1 },
      ],
      [
        { name: 'b', v: 2 },
        { name: 'a', v: 1 },
      ],
      { added: [], removed: [], changed: ['b'], unchanged: ['a'] },
    ],
    [
      'nested change',
      [{ name: 'a', v: { x: [1] } }],
      [{ name: 'a', v: { x: [1, 2] } }],
      { added: [], removed: [], changed: ['a'], unchanged: [] },
    ],
  ])('%s', (_what, before, after, expected) => {
    expect(diffNamed(before, after)).toEqual(expected);
  });
});

describe('diffConfigs', () => {
  it('compares validated specs, so a default written out is no change', () => {
    const a = loadConfigText(
      'processes:\n  - { name: web, command: node }\n  - { name: job, command: sh }\nservices:\n  - { name: vpn }\n',
    );
    const b = loadConfigText(
      'processes:\n  - { name: web, command: node, restart: { policy: on-failure, delay: 1s } }\n  - { name: job, command: bash }\n  - { name: new, command: x }\nsettings: { log_level: debug }\n',
    );
    expect(diffConfigs(a, b)).toEqual({
      processes: { added: ['new'], removed: [], changed: ['job'], unchanged: ['web'] },
      services: { added: [], removed: ['vpn'], changed: [], unchanged: [] },
      settingsChanged: true,
    });
  });
});
