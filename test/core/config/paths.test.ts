import { describe, expect, it } from 'vitest';
import { resolvePaths } from '../../../src-main/core/config/paths';

describe('resolvePaths', () => {
  it.each([
    [
      'macOS defaults',
      { platform: 'darwin' as const, env: {} },
      '/Users/u/Library/Application Support/Sentinel/sentinel.yaml',
      '/Users/u/Library/Application Support/Sentinel',
    ],
    [
      'linux defaults',
      { platform: 'linux' as const, env: {} },
      '/Users/u/.config/sentinel/sentinel.yaml',
      '/Users/u/.local/share/sentinel',
    ],
    [
      'XDG dirs',
      { platform: 'linux' as const, env: { XDG_CONFIG_HOME: '/x/c', XDG_DATA_HOME: '/x/d' } },
      '/x/c/sentinel/sentinel.yaml',
      '/x/d/sentinel',
    ],
    [
      'empty XDG is ignored',
      { platform: 'linux' as const, env: { XDG_CONFIG_HOME: '' } },
      '/Users/u/.config/sentinel/sentinel.yaml',
      '/Users/u/.local/share/sentinel',
    ],
    [
      'env overrides',
      { platform: 'darwin' as const, env: { SENTINEL_CONFIG: '/e/s.yaml', SENTINEL_DATA_DIR: '/e/data' } },
      '/e/s.yaml',
      '/e/data',
    ],
    [
      'options win over env',
      {
        platform: 'linux' as const,
        env: { SENTINEL_CONFIG: '/e/s.yaml', SENTINEL_DATA_DIR: '/e/data' },
        config: '/o/s.yaml',
        dataDir: '/o/data',
      },
      '/o/s.yaml',
      '/o/data',
    ],
  ])('%s', (_what, inputs, configPath, dataDir) => {
    expect(resolvePaths({ home: '/Users/u', ...inputs })).toEqual({ configPath, dataDir });
  });
});
