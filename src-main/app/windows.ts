/**
 * The windows: one Svelte app loaded from disk, one route per window. Hardened as Electron's security checklist
 * asks: isolated, sandboxed, no Node in the page, a CSP, no navigation away and no new windows.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions, Session } from 'electron';
import type { ElectronApi } from './electron-api';

export type Route = 'status' | 'processes' | 'failures' | 'logs' | 'stats' | 'schedules' | 'settings';

export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

export function windowOptions(route: Route, preload: string): BrowserWindowConstructorOptions {
  const popover = route === 'status';
  return {
    // The popover is 400 px wide (the windows never scroll sideways down to 360); the larger windows have a sidebar.
    width: popover ? 400 : 1040,
    height: popover ? 560 : 700,
    minWidth: popover ? undefined : 640,
    minHeight: popover ? undefined : 420,
    show: false,
    frame: !popover,
    resizable: !popover,
    skipTaskbar: popover,
    // macOS: the popover material behind the page (the page's own background stays opaque where it needs contrast).
    ...(popover
      ? { vibrancy: 'popover' as const, visualEffectState: 'active' as const, alwaysOnTop: true, roundedCorners: true }
      : { titleBarStyle: 'default' as const }),
    title: `Sentinel — ${route}`,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

/** Only our own page, from our own file, may run in a window or call the API. */
export function isOwnPage(url: string, rendererIndex: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'file:' && decodeURIComponent(u.pathname) === rendererIndex;
  } catch {
    return false;
  }
}

/** The CSP header for every response the app's session serves, including file:// pages. */
export function installCsp(session: Pick<Session, 'webRequest'>): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
}

export interface WindowManager {
  open(route: Route): BrowserWindow;
  all(): BrowserWindow[];
}

export function createWindowManager(
  electron: Pick<ElectronApi, 'BrowserWindow' | 'shell'>,
  opts: { preload: string; rendererIndex: string },
): WindowManager {
  const open = new Map<Route, BrowserWindow>();
  return {
    open(route) {
      const existing = open.get(route);
      if (existing && !existing.isDestroyed()) {
        existing.show();
        existing.focus();
        return existing;
      }
      const win = new electron.BrowserWindow(windowOptions(route, opts.preload));
      win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
      win.webContents.on('will-navigate', (event, url) => {
        if (!isOwnPage(url, opts.rendererIndex)) event.preventDefault();
      });
      win.once('ready-to-show', () => win.show());
      win.on('closed', () => open.delete(route));
      if (route === 'status') win.on('blur', () => win.hide());
      void win.loadFile(opts.rendererIndex, { hash: `/${route}` });
      open.set(route, win);
      return win;
    },
    all: () => [...open.values()].filter((w) => !w.isDestroyed()),
  };
}
