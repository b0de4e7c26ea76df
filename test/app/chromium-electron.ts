/**
 * A stand-in for the part of Electron the shell uses, backed by real Chromium (test code, never shipped).
 *
 * - BrowserWindow is a real headless Chromium page (playwright-core, Debian's chromium). `loadFile` loads the
 *   built renderer from file:// like Electron does, every file:// response passes through the listeners the
 *   shell installed with `session.webRequest.onHeadersReceived` (so the page runs under the shell's own CSP), and
 *   page-initiated navigations go through `will-navigate` and popups through `setWindowOpenHandler`.
 * - The REAL preload bundle (dist/main/preload.cjs) runs before the page with `require('electron')` answered by a
 *   tiny contextBridge + ipcRenderer: `ipcRenderer.invoke` reaches the handlers registered with `ipcMain.handle`
 *   (with the frame's URL as `senderFrame.url`), `webContents.send` reaches `ipcRenderer.on` listeners in order.
 * - Tray, Menu, Notification, app (login item, quit), powerMonitor, nativeTheme and shell are recorded and can be
 *   driven: click the tray or a menu item, click a notification, emit resume, switch dark mode, ask for approval.
 *
 * What it does not model: the preload runs in the page's world (Electron isolates it; the bridge object is frozen
 * here as contextBridge does), and Electron lets file pages load their own module scripts, which Chromium only
 * does with --allow-file-access-from-files.
 */
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page, type Route } from 'playwright-core';
import type * as Electron from 'electron';
import type { ElectronApi } from '../../src-main/app/electron-api';
import { CHROMIUM } from '../e2e/chromium';

/** What a template image looks like to the tests: the file and whether macOS would recolour it. */
export class StandInImage {
  template = false;
  constructor(readonly path: string) {}
  setTemplateImage(on: boolean): void {
    this.template = on;
  }
  isTemplateImage(): boolean {
    return this.template;
  }
  isEmpty(): boolean {
    return !existsSync(this.path);
  }
}

/** A built menu: the template as the shell wrote it (labels, checkboxes, click handlers). */
export class StandInMenu {
  constructor(readonly items: Electron.MenuItemConstructorOptions[]) {}
  labels(): string[] {
    return this.items.map((i) => i.label ?? `--${i.type ?? 'item'}`);
  }
  item(labelOrId: string | RegExp): Electron.MenuItemConstructorOptions {
    const found = this.items.find((i) =>
      typeof labelOrId === 'string' ? i.label === labelOrId || i.id === labelOrId : labelOrId.test(i.label ?? ''),
    );
    if (!found) throw new Error(`no menu item ${String(labelOrId)} in: ${this.labels().join(' | ')}`);
    return found;
  }
  /** Clicks like a user: disabled items do nothing; a checkbox flips before its handler runs (as in Electron). */
  click(labelOrId: string | RegExp): void {
    const item = this.item(labelOrId);
    if (item.enabled === false) throw new Error(`menu item "${item.label}" is disabled`);
    if (item.type === 'checkbox') item.checked = !item.checked;
    item.click?.(item as unknown as Electron.MenuItem, undefined, { shiftKey: false } as Electron.KeyboardEvent);
  }
}

export class StandInTray extends EventEmitter {
  image: StandInImage;
  tooltip = '';
  title = '';
  menu: StandInMenu | null = null;
  /** How often a click opened the context menu (macOS shows it on click when one is set and nobody handles click). */
  menuOpened = 0;
  destroyed = false;
  constructor(
    image: StandInImage,
    private readonly onCreate: (t: StandInTray) => void,
  ) {
    super();
    this.image = image;
    this.images.push(image);
    onCreate(this);
  }
  /** Every image the tray showed, in order (to tell a steady icon from a flapping one). */
  readonly images: StandInImage[] = [];
  setImage(i: StandInImage): void {
    if (this.image.path !== i.path || this.image.template !== i.template) this.images.push(i);
    this.image = i;
  }
  setToolTip(t: string): void {
    this.tooltip = t;
  }
  setTitle(t: string): void {
    this.title = t;
  }
  setContextMenu(m: StandInMenu | null): void {
    this.menu = m;
  }
  setIgnoreDoubleClickEvents(): void {}
  getBounds() {
    return { x: 1200, y: 0, width: 22, height: 24 };
  }
  popUpContextMenu(): void {
    this.menuOpened++;
  }
  destroy(): void {
    this.destroyed = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** A left click on the icon: the shell's click handler if it has one, else the context menu opens. */
  click(): void {
    if (this.listenerCount('click') > 0) this.emit('click', { shiftKey: false }, this.getBounds(), { x: 1210, y: 10 });
    else if (this.menu) this.menuOpened++;
  }
  /** The current menu (throws when none is set: a tray without a menu is a defect here). */
  get contextMenu(): StandInMenu {
    if (!this.menu) throw new Error('the tray has no context menu');
    return this.menu;
  }
}

export class StandInNotification extends EventEmitter {
  shown = false;
  constructor(
    readonly options: Electron.NotificationConstructorOptions,
    private readonly onShow: (n: StandInNotification) => void,
  ) {
    super();
  }
  show(): void {
    this.shown = true;
    this.onShow(this);
  }
  close(): void {}
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

/** Runs the preload bundle with `require('electron')` answered by the bridge below (a string: it runs in the page). */
function preloadScript(preloadSource: string): string {
  return `(() => {
  const listeners = new Map();
  window.__standInEmit = (channel, args) => {
    for (const l of [...(listeners.get(channel) ?? [])]) l({ sender: null }, ...args);
  };
  const ipcRenderer = {
    invoke: (channel, ...args) => window.__standInInvoke(channel, args),
    on(channel, l) { if (!listeners.has(channel)) listeners.set(channel, new Set()); listeners.get(channel).add(l); return ipcRenderer; },
    removeListener(channel, l) { listeners.get(channel)?.delete(l); return ipcRenderer; },
  };
  const contextBridge = {
    exposeInMainWorld(key, api) {
      Object.defineProperty(window, key, { value: Object.freeze(api), writable: false, configurable: false });
    },
  };
  const require = (name) => {
    if (name === 'electron') return { contextBridge, ipcRenderer };
    throw new Error('the sandboxed preload may only require electron, not ' + name);
  };
  const module = { exports: {} };
  (function (require, module, exports) {
${preloadSource}
  })(require, module, module.exports);
})();`;
}

/** Everything the tests drive and read. `electron` is what the shell gets. */
export interface ChromiumElectron {
  electron: ElectronApi & Pick<typeof Electron, 'powerMonitor' | 'nativeTheme'>;
  readonly trays: StandInTray[];
  readonly tray: StandInTray;
  readonly windows: StandInWindow[];
  readonly notifications: StandInNotification[];
  readonly loginCalls: Electron.Settings[];
  readonly opened: string[];
  /** macOS 13+: a registered login item waits for the user's approval in System Settings. */
  requireLoginApproval(on: boolean): void;
  /** The user approved (or revoked) the login item in System Settings. */
  setLoginStatus(status: 'enabled' | 'not-registered' | 'requires-approval'): void;
  resume(): void;
  suspend(): void;
  setDarkMode(dark: boolean): Promise<void>;
  /** Resolves with the exit code once `app.exit()` was called (the shell's quit path ends there). */
  readonly exited: Promise<number>;
  /** The window showing a route, once it has loaded. */
  window(route: string): StandInWindow | undefined;
  close(): Promise<void>;
}

export class StandInWebContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  constructor(private readonly win: StandInWindow) {
    super();
  }
  setWindowOpenHandler(h: (details: { url: string }) => { action: 'allow' | 'deny' }): void {
    this.openHandler = h;
  }
  /** In order, like Electron's IPC; a message to a page that is gone or navigating is dropped, as there. */
  send(channel: string, ...args: unknown[]): void {
    this.queue = this.queue
      .then(() => this.win.pageReady)
      .then((page) => page.evaluate(([c, a]) => (globalThis as any).__standInEmit?.(c, a), [channel, args] as const))
      .catch(() => {});
  }
  /** Resolves once every message sent so far has been delivered (or dropped). */
  flushed(): Promise<unknown> {
    return this.queue;
  }
  isDestroyed(): boolean {
    return this.win.isDestroyed();
  }
  getURL(): string {
    return this.win.page?.url() ?? '';
  }
}

export class StandInWindow extends EventEmitter {
  readonly webContents: StandInWebContents;
  readonly pageReady: Promise<Page>;
  page: Page | null = null;
  visible = false;
  destroyed = false;
  /** The file the shell loaded (for isOwnPage-style checks by tests) and the hash route. */
  loaded: { file: string; hash: string } | null = null;
  private loadingUrl: string | null = null;

  constructor(
    readonly options: Electron.BrowserWindowConstructorOptions,
    private readonly host: WindowHost,
  ) {
    super();
    this.webContents = new StandInWebContents(this);
    this.pageReady = host.newPage(this);
    void this.pageReady.then((p) => (this.page = p));
  }

  async loadFile(file: string, options?: { hash?: string }): Promise<void> {
    const url = pathToFileURL(file).href + (options?.hash ? `#${options.hash}` : '');
    this.loaded = { file, hash: options?.hash ?? '' };
    const page = await this.pageReady;
    this.loadingUrl = url;
    try {
      await page.goto(url, { waitUntil: 'load' });
    } catch (err) {
      // The app quit (the browser closed) while the page loaded: Electron drops it silently too.
      if (this.host.closing()) return;
      throw err;
    }
    this.loadingUrl = null;
    this.webContents.emit('did-finish-load');
    this.emit('ready-to-show');
  }

  /** A navigation the page started (not loadFile): Electron asks `will-navigate` first. */
  allowNavigation(url: string): boolean {
    if (this.loadingUrl !== null && url.split('#')[0] === this.loadingUrl.split('#')[0]) return true;
    let prevented = false;
    this.webContents.emit('will-navigate', { preventDefault: () => (prevented = true), url }, url);
    return !prevented;
  }

  show(): void {
    this.visible = true;
    this.emit('show');
  }
  hide(): void {
    this.visible = false;
    this.emit('hide');
  }
  focus(): void {
    this.emit('focus');
  }
  /** The window loses focus (a click elsewhere): the popover hides itself on blur. */
  blur(): void {
    this.emit('blur');
  }
  isVisible(): boolean {
    return this.visible;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  async close(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    await (await this.pageReady).close();
    this.emit('closed');
  }
  destroy(): void {
    void this.close();
  }
  /** The route this window shows (#/status → status). */
  get route(): string {
    return this.loaded?.hash.replace(/^\//, '') ?? '';
  }
}

interface WindowHost {
  newPage(win: StandInWindow): Promise<Page>;
  closing(): boolean;
}

export async function launchChromiumElectron(): Promise<ChromiumElectron> {
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      // Electron lets a file:// page load its own module scripts; Chromium refuses them (origin null) without it.
      '--allow-file-access-from-files',
    ],
  });
  // One context = Electron's defaultSession: every window shares it. Electron grants clipboard access to pages.
  const context: BrowserContext = await browser.newContext({ colorScheme: 'light' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);

  const trays: StandInTray[] = [];
  const windows: StandInWindow[] = [];
  const notifications: StandInNotification[] = [];
  const loginCalls: Electron.Settings[] = [];
  const opened: string[] = [];
  const headerListeners: ((details: any, cb: (r: { responseHeaders?: Record<string, string[]> }) => void) => void)[] =
    [];
  const ipcHandlers = new Map<string, (event: any, ...args: any[]) => unknown>();
  let login: { openAtLogin: boolean; status: string } = { openAtLogin: false, status: 'not-registered' };
  let approvalNeeded = false;
  let dark = false;
  let exit!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (exit = resolve));

  const app = new EventEmitter() as EventEmitter & Record<string, unknown>;
  Object.assign(app, {
    getLoginItemSettings: () => ({ ...login, executableWillLaunchAtLogin: login.openAtLogin }),
    setLoginItemSettings: (s: Electron.Settings) => {
      loginCalls.push(s);
      login = s.openAtLogin
        ? { openAtLogin: true, status: approvalNeeded ? 'requires-approval' : 'enabled' }
        : { openAtLogin: false, status: 'not-registered' };
    },
    quit: () => {
      let prevented = false;
      app.emit('before-quit', { preventDefault: () => (prevented = true) });
      if (!prevented) exit(0);
    },
    exit: (code = 0) => exit(code),
    getVersion: () => '0.0.0-standin',
    isPackaged: false,
  });

  // Every file:// response passes through the shell's onHeadersReceived listeners, as in Electron's session.
  await context.route(
    (url) => url.protocol === 'file:',
    async (route: Route) => {
      const request = route.request();
      const url = request.url();
      const file = fileURLToPath(url);
      if (request.isNavigationRequest() && request.frame() === request.frame().page().mainFrame()) {
        const win = windows.find((w) => w.page === request.frame().page());
        if (win && !win.allowNavigation(url)) return route.abort('blockedbyclient');
      }
      if (!existsSync(file)) return route.fulfill({ status: 404, body: '' });
      let headers: Record<string, string[]> = { 'Content-Type': [MIME[extname(file)] ?? 'application/octet-stream'] };
      for (const l of headerListeners) {
        headers = await new Promise((resolve) =>
          l(
            {
              url,
              method: 'GET',
              resourceType: request.isNavigationRequest() ? 'mainFrame' : 'other',
              responseHeaders: headers,
            },
            (r) => resolve(r.responseHeaders ?? headers),
          ),
        );
      }
      await route.fulfill({
        status: 200,
        headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.join(', ')])),
        body: readFileSync(file),
      });
    },
  );

  let closing = false;
  const host: WindowHost = {
    closing: () => closing,
    async newPage(win) {
      const page = await context.newPage();
      const { width = 800, height = 600 } = win.options;
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme: dark ? 'dark' : 'light' });
      const preload = win.options.webPreferences?.preload;
      if (preload) await page.addInitScript({ content: preloadScript(readFileSync(preload, 'utf8')) });
      await page.exposeBinding('__standInInvoke', async (source, channel: string, args: unknown[]) => {
        const handler = ipcHandlers.get(channel);
        if (!handler) throw new Error(`No handler registered for '${channel}'`);
        // Structured clone on the way back, like Electron's IPC (no functions, no class instances).
        return structuredClone(
          await handler({ sender: win.webContents, senderFrame: { url: source.frame.url() } }, ...args),
        );
      });
      page.on('popup', (popup) => {
        const decision = win.webContents.openHandler?.({ url: popup.url() }) ?? { action: 'allow' };
        if (decision.action === 'deny') void popup.close();
      });
      return page;
    },
  };

  class BrowserWindow extends StandInWindow {
    constructor(options: Electron.BrowserWindowConstructorOptions = {}) {
      super(options, host);
      windows.push(this);
    }
    static getAllWindows() {
      return windows.filter((w) => !w.isDestroyed());
    }
  }
  class Tray extends StandInTray {
    constructor(image: StandInImage) {
      super(image, (t) => trays.push(t));
    }
  }
  class Notification extends StandInNotification {
    static isSupported() {
      return true;
    }
    constructor(options: Electron.NotificationConstructorOptions) {
      super(options, (n) => notifications.push(n));
    }
  }
  const powerMonitor = new EventEmitter();
  const nativeTheme = Object.assign(new EventEmitter(), {
    themeSource: 'system' as 'system' | 'light' | 'dark',
    get shouldUseDarkColors() {
      return dark;
    },
  });

  const api = {
    app,
    Tray,
    Menu: { buildFromTemplate: (template: Electron.MenuItemConstructorOptions[]) => new StandInMenu(template) },
    BrowserWindow,
    nativeImage: { createFromPath: (p: string) => new StandInImage(p) },
    ipcMain: {
      handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => unknown) => {
        if (ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
        ipcHandlers.set(channel, fn);
      },
      removeHandler: (channel: string) => ipcHandlers.delete(channel),
    },
    Notification,
    shell: { openPath: async (p: string) => (opened.push(p), '') },
    session: { defaultSession: { webRequest: { onHeadersReceived: (l: any) => headerListeners.push(l) } } },
    powerMonitor,
    nativeTheme,
  };

  return {
    electron: api as unknown as ChromiumElectron['electron'],
    trays,
    get tray() {
      const t = trays.at(-1);
      if (!t) throw new Error('no tray was created');
      return t;
    },
    windows,
    notifications,
    loginCalls,
    opened,
    requireLoginApproval: (on) => (approvalNeeded = on),
    setLoginStatus: (status) => (login = { openAtLogin: status !== 'not-registered', status }),
    resume: () => powerMonitor.emit('resume'),
    suspend: () => powerMonitor.emit('suspend'),
    async setDarkMode(on) {
      dark = on;
      await Promise.all(context.pages().map((p) => p.emulateMedia({ colorScheme: on ? 'dark' : 'light' })));
      nativeTheme.emit('updated');
    },
    exited,
    window: (route) => windows.find((w) => !w.isDestroyed() && w.route === route),
    async close() {
      closing = true;
      await context.close().catch(() => {});
      await browser.close();
    },
  };
}
