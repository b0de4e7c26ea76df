/**
 * Where `npm start` can open the menu-bar app, and where it must run headless instead. Pure, so the decision is
 * tested on every platform without an Electron binary.
 */
export type LaunchMode = { mode: 'electron'; binary: string } | { mode: 'headless'; reason: string };

export interface LaunchFacts {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  /** What `require('electron')` gave (the binary's path), or the error it threw. */
  electron: { path: string } | { error: string };
  exists: (path: string) => boolean;
}

export function chooseLaunchMode(f: LaunchFacts): LaunchMode {
  if (f.env.SENTINEL_HEADLESS === '1') return { mode: 'headless', reason: 'SENTINEL_HEADLESS=1' };
  if ('error' in f.electron || !f.exists(f.electron.path))
    return { mode: 'headless', reason: 'Electron is not available here (no Electron binary installed)' };
  if (f.platform === 'linux' && !f.env.DISPLAY && !f.env.WAYLAND_DISPLAY)
    return { mode: 'headless', reason: 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)' };
  return { mode: 'electron', binary: f.electron.path };
}
