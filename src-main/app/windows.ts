/**
 * The windows: one Svelte app loaded from disk, shown in two windows — the popover (the `status` route, under the
 * tray icon) and one main window that moves between the larger views (its sidebar does too). Hardened as Electron's security checklist
 * asks: isolated, sandboxed, no Node in the page, a CSP, no navigation away and no new windows.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions, Session } from 'electron';
import { viewPath, type WindowView } from '../shared/views';
import type { ElectronApi } from './electron-api';

export type Route = WindowView;

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
  /**
   * `status` shows the popover; any other view opens the main window there, or brings it forward and moves it
   * there (`param`: the selection, e.g. a failure id or a process name).
   */
  open(route: Route, param?: string | number): BrowserWindow;
  /** Hides the popover (a link in it opened the main window). */
  hidePopover(): void;
  /** The tray click: shows the popover centred under the icon, or hides it when it is showing. */
  togglePopover(iconBounds: { x: number; y: number; width: number; height: number }): void;
  all(): BrowserWindow[];
}

export function createWindowManager(
  electron: Pick<ElectronApi, 'BrowserWindow' | 'shell'>,
  opts: { preload: string; rendererIndex: string },
): WindowManager {
  const open = new Map<'popover' | 'main', BrowserWindow>();
  return {
    open(route, param) {
      const which = route === 'status' ? 'popover' : 'main';
      const hash = viewPath(route, param);
      const existing = open.get(which);
      if (existing && !existing.isDestroyed()) {
        // Moved only when it shows something else: a detail the user opened in it stays when its view is asked for.
        const shown = new URL(existing.webContents.getURL() || 'file:///').hash;
        const same = param === undefined ? shown.split('/')[1] === route : shown === `#${hash}`;
        // A move cut short by the next one (two links clicked quickly) rejects with ERR_ABORTED: the later one wins.
        if (which === 'main' && !same) void existing.loadFile(opts.rendererIndex, { hash }).catch(ignoreAborted);
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
      win.on('closed', () => open.delete(which));
      if (which === 'popover') win.on('blur', () => win.hide());
      void win.loadFile(opts.rendererIndex, { hash });
      open.set(which, win);
      return win;
    },
    hidePopover() {
      const popover = open.get('popover');
      if (popover && !popover.isDestroyed()) popover.hide();
    },
    togglePopover(icon) {
      const shown = open.get('popover');
      if (shown && !shown.isDestroyed() && shown.isVisible()) return shown.hide();
      const win = this.open('status');
      const width = windowOptions('status', opts.preload).width ?? 400;
      win.setPosition(Math.round(icon.x + icon.width / 2 - width / 2), Math.round(icon.y + icon.height + 4));
    },
    all: () => [...open.values()].filter((w) => !w.isDestroyed()),
  };
}

function ignoreAborted(err: unknown): void {
  if ((err as { code?: unknown } | null)?.code !== 'ERR_ABORTED') throw err;
}
