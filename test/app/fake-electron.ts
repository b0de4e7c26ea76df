/**
 * A small fake of the Electron API the shell uses: records what the shell does (images, menus, windows, IPC
 * handlers, login-item calls, notifications) so tests can assert it. Only behaviour the shell relies on is here.
 */
import { EventEmitter } from 'node:events';
import type { MenuItemConstructorOptions } from 'electron';
import type { ElectronApi } from '../../src-main/app/electron-api';

export class FakeImage {
  template = false;
  constructor(readonly path: string) {}
  setTemplateImage(on: boolean) {
    this.template = on;
  }
}

export class FakeTray extends EventEmitter {
  static last: FakeTray | null = null;
  image: FakeImage;
  tooltip = '';
  title = '';
  private shownMenu: MenuItemConstructorOptions[] = [];
  /** The menu a person would see: on macOS the shell pops it up on a right click, elsewhere it is the context menu. */
  get menu(): MenuItemConstructorOptions[] {
    if (this.listenerCount('right-click') > 0) this.emit('right-click');
    return this.shownMenu;
  }
  constructor(image: FakeImage) {
    super();
    this.image = image;
    FakeTray.last = this;
  }
  setImage(i: FakeImage) {
    this.image = i;
  }
  setToolTip(t: string) {
    this.tooltip = t;
  }
  setTitle(t: string) {
    this.title = t;
  }
  setContextMenu(m: { template: MenuItemConstructorOptions[] }) {
    this.shownMenu = m.template;
  }
  popUpContextMenu(m: { template: MenuItemConstructorOptions[] }) {
    this.shownMenu = m.template;
  }
  setIgnoreDoubleClickEvents() {}
}

export class FakeWebContents extends EventEmitter {
  sent: unknown[][] = [];
  /** What the window loaded last (file URL + hash), as Electron's getURL answers. */
  url = '';
  getURL() {
    return this.url;
  }
  openHandler: (() => { action: string }) | null = null;
  setWindowOpenHandler(h: () => { action: string }) {
    this.openHandler = h;
  }
  send(...args: unknown[]) {
    this.sent.push(args);
  }
  isDestroyed() {
    return false;
  }
}

export class FakeWindow extends EventEmitter {
  static created: FakeWindow[] = [];
  webContents = new FakeWebContents();
  loaded: { file: string; options: unknown } | null = null;
  shown = 0;
  constructor(readonly options: Record<string, any>) {
    super();
    FakeWindow.created.push(this);
  }
  loadFile(file: string, options: { hash?: string } = {}) {
    this.loaded = { file, options };
    this.webContents.url = `file://${file}${options.hash ? `#${options.hash}` : ''}`;
    return Promise.resolve();
  }
  isDestroyed() {
    return false;
  }
  show() {
    this.shown++;
  }
  focus() {}
  hide() {}
  isVisible() {
    return this.shown > 0;
  }
  setPosition() {}
}

export class FakeNotification extends EventEmitter {
  static shown: FakeNotification[] = [];
  static supported = true;
  /** When set, `show()` fails like an unsigned macOS build. */
  static failOnShow = false;
  static isSupported() {
    return FakeNotification.supported;
  }
  constructor(readonly options: { title: string; body: string }) {
    super();
  }
  show() {
    FakeNotification.shown.push(this);
    if (FakeNotification.failOnShow) this.emit('failed', {}, 'unsigned');
  }
}

export function fakeElectron() {
  FakeTray.last = null;
  FakeWindow.created = [];
  FakeNotification.shown = [];
  FakeNotification.supported = true;
  FakeNotification.failOnShow = false;
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  const loginCalls: unknown[] = [];
  let login = { openAtLogin: false, status: 'not-registered' };
  const headerHooks: ((details: any, cb: (r: any) => void) => void)[] = [];
  const opened: string[] = [];
  const api = {
    app: {
      getLoginItemSettings: () => ({ ...login }),
      setLoginItemSettings: (s: { openAtLogin: boolean }) => {
        loginCalls.push(s);
        login = { openAtLogin: s.openAtLogin, status: s.openAtLogin ? 'enabled' : 'not-registered' };
      },
      quit: () => opened.push('quit'),
    },
    Tray: FakeTray,
    Menu: { buildFromTemplate: (template: MenuItemConstructorOptions[]) => ({ template }) },
    BrowserWindow: FakeWindow,
    nativeImage: { createFromPath: (p: string) => new FakeImage(p) },
    ipcMain: {
      handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => unknown) => handlers.set(channel, fn),
      removeHandler: (channel: string) => handlers.delete(channel),
    },
    Notification: FakeNotification,
    powerMonitor: new EventEmitter(),
    shell: { openPath: async (p: string) => (opened.push(p), '') },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (h: (details: any, cb: (r: any) => void) => void) => headerHooks.push(h) },
      },
    },
  };
  return {
    electron: api as unknown as ElectronApi,
    handlers,
    loginCalls,
    headerHooks,
    opened,
    setLoginStatus: (s: string) => (login = { ...login, status: s }),
  };
}
