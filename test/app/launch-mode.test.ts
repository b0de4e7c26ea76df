import { describe, expect, it } from 'vitest';
import { chooseLaunchMode, type LaunchFacts } from '../../src-main/launch-mode';

const facts = (f: Partial<LaunchFacts>): LaunchFacts => ({
  platform: 'darwin',
  env: {},
  electron: { path: '/e/Electron' },
  exists: () => true,
  ...f,
});

describe('npm start: Electron or headless', () => {
  it.each<[string, Partial<LaunchFacts>, string]>([
    ['macOS with Electron', {}, 'electron'],
    ['no binary downloaded', { electron: { error: 'Electron failed to install correctly' } }, 'headless'],
    ['binary path missing', { exists: () => false }, 'headless'],
    ['Linux without a display', { platform: 'linux' }, 'headless'],
    ['Linux with X', { platform: 'linux', env: { DISPLAY: ':0' } }, 'electron'],
    ['Linux with Wayland', { platform: 'linux', env: { WAYLAND_DISPLAY: 'wayland-0' } }, 'electron'],
    ['forced headless', { env: { SENTINEL_HEADLESS: '1' } }, 'headless'],
  ])('%s → %s', (_what, f, mode) => expect(chooseLaunchMode(facts(f)).mode).toBe(mode));

  it('says why in one line', () => {
    const m = chooseLaunchMode(facts({ electron: { error: 'x' } }));
    expect(m).toEqual({ mode: 'headless', reason: 'Electron is not available here (no Electron binary installed)' });
  });
});
