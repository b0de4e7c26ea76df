import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { EventArgs, EventListener, OverallStatus, ServiceStatus } from '../../src-main/shared/contract';
import { buildMenuTemplate } from '../../src-main/app/menu';
import { startShell, type Shell } from '../../src-main/app/shell';
import { trayIcon } from '../../src-main/app/tray-icons';
import { ConfigSchema } from '../../src-main/core/config/schema';
import type { Sentinel } from '../../src-main/core/sentinel';
import { openHost, type Host } from '../../src-main/host/open';
import { silentLogger } from '../../src-main/core/util/logger';
import { tempDir } from '../helpers/tmp';
import { waitFor } from '../helpers/wait';
import { fakeElectron, FakeNotification, FakeTray, FakeWindow } from './fake-electron';

const RENDERER = '/app/dist/renderer/index.html';
const OWN_URL = `file://${RENDERER}#/status`;

function overall(status: OverallStatus['status'], reason: string): OverallStatus {
  return { status, reason, rule: 'test', at: Date.now(), services: [], upstream: [] };
}

let host: Host;
let sentinel: Sentinel;
let shell: Shell;
let fake: ReturnType<typeof fakeElectron>;
let cleanup: () => void;
/** Lets a test push events as the core would, beside the real core's own. */
const pushed = new Set<EventListener>();
const push = (...args: EventArgs) => pushed.forEach((l) => l(...args));

beforeEach(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  // The real core, with a real child process.
  const config = ConfigSchema.parse({ processes: [{ name: 'web', command: 'sleep', args: ['30'] }] });
  host = await openHost({ configPath: null, config, dataDir: t.dir, logger: silentLogger, staticDir: null });
  sentinel = host.sentinel;
  fake = fakeElectron();
  shell = await startShell({
    electron: fake.electron,
    core: {
      dispatch: host.dispatch,
      subscribe: (l) => {
        pushed.add(l);
        const off = host.subscribe(l);
        return () => (pushed.delete(l), off());
      },
    },
    platform: 'darwin',
    assetsDir: '/app/assets',
    preload: '/app/dist/main/preload.cjs',
    rendererIndex: RENDERER,
    logsDir: join(t.dir, 'logs'),
  });
});

afterEach(async () => {
  shell.dispose();
  await host.close();
  cleanup();
});

const labels = () => FakeTray.last!.menu.map((i) => i.label ?? `--${i.type}`);
const item = (label: string) => FakeTray.last!.menu.find((i) => i.label === label)!;

describe('tray and menu', () => {
  it('lists status, actions, one Restart per process, windows, start at login and quit', () => {
    expect(labels()).toEqual([
      expect.stringMatching(/^✓ Green — /),
      '--separator',
      'Force check now',
      '--separator',
      'Restart web',
      '--separator',
      'Status…',
      'Recent failures…',
      'Logs…',
      'Open logs folder',
      '--separator',
      'Start at login',
      '--separator',
      'Quit Sentinel',
    ]);
    expect(FakeTray.last!.menu[0]!.enabled).toBe(false);
    expect(item('Start at login')).toMatchObject({ type: 'checkbox', checked: false });
  });

  it('shows a template image while green and coloured ones for yellow and red, with the reason as tooltip', () => {
    expect(FakeTray.last!.image).toMatchObject({ path: '/app/assets/trayTemplate.png', template: true });
    push('status.changed', overall('red', 'web: down'));
    expect(FakeTray.last!.image).toMatchObject({ path: '/app/assets/tray-red.png', template: false });
    expect(FakeTray.last!.tooltip).toBe('Sentinel: × Red — web: down\ntest');
    push('status.changed', overall('yellow', 'upstream down'));
    expect(FakeTray.last!.image).toMatchObject({ path: '/app/assets/tray-yellow.png', template: false });
    expect(FakeTray.last!.menu[0]!.label).toBe('! Yellow — upstream down');
  });

  it.each([
    ['green', 'linux', 'tray-green.png', false],
    ['green', 'darwin', 'trayTemplate.png', true],
    ['red', 'darwin', 'tray-red.png', false],
    ['yellow', 'win32', 'tray-yellow.png', false],
  ] as const)('icon for %s on %s is %s (template %s)', (status, platform, file, template) => {
    expect(trayIcon(status, platform, '/a')).toEqual({ file: `/a/${file}`, template });
  });

  it('Restart <name> restarts the real process', async () => {
    const before = sentinel.supervisor.pidOf('web');
    (item('Restart web').click as () => void)();
    await waitFor(() => sentinel.supervisor.pidOf('web') !== null && sentinel.supervisor.pidOf('web') !== before, {
      what: 'web restarted',
    });
  });

  it('"Start at login" registers the login item and reads the state back from the OS', async () => {
    (item('Start at login').click as (i: { checked: boolean }) => void)({ checked: true });
    await waitFor(() => item('Start at login').checked === true);
    expect(fake.loginCalls).toEqual([{ openAtLogin: true, type: 'mainAppService' }]);
    fake.setLoginStatus('requires-approval');
    const r = await shell.dispatch('settings.get', {});
    expect(r).toMatchObject({ ok: true, result: { start_at_login: true, login_item_status: 'requires-approval' } });
  });

  it('a process change updates the menu', () => {
    push('process.changed', { ...sentinel.supervisor.info('web'), name: 'worker' });
    expect(labels()).toContain('Restart worker');
  });
});

describe('windows', () => {
  it('opens hardened windows on the route, and reuses an open one', () => {
    (item('Recent failures…').click as () => void)();
    (item('Recent failures…').click as () => void)();
    expect(FakeWindow.created).toHaveLength(1);
    const win = FakeWindow.created[0]!;
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: '/app/dist/main/preload.cjs',
    });
    expect(win.loaded).toEqual({ file: RENDERER, options: { hash: '/failures' } });
  });

  it('window.open: one main window moves between views, the popover hides; bad input names its field', async () => {
    const popover = shell.windows.open('status') as unknown as FakeWindow;
    let hidden = 0;
    popover.hide = () => void hidden++;
    const ask = (input: unknown) =>
      fake.handlers.get('sentinel:request')!({ senderFrame: { url: OWN_URL } }, 'window.open', input);
    expect(await ask({ view: 'failures', failure_id: 12 })).toEqual({ ok: true, result: { view: 'failures' } });
    const main = FakeWindow.created.at(-1)!;
    expect(main).not.toBe(popover);
    expect(main.options).toMatchObject({ frame: true, width: 1040 });
    expect(main.loaded).toEqual({ file: RENDERER, options: { hash: '/failures/12' } });
    expect(hidden).toBe(1);
    expect(await ask({ view: 'logs', process: 'web db' })).toMatchObject({ ok: true });
    expect(FakeWindow.created).toHaveLength(2);
    expect(main.loaded).toEqual({ file: RENDERER, options: { hash: '/logs/web%20db' } });
    // Asking for the view it shows leaves its selection alone.
    (item('Logs…').click as () => void)();
    expect(main.loaded).toEqual({ file: RENDERER, options: { hash: '/logs/web%20db' } });
    for (const [input, field] of [
      [{ view: 'nowhere' }, 'view'],
      [{}, 'view'],
      [{ view: 'logs', failure_id: 3 }, 'failure_id'],
      [{ view: 'failures', failure_id: -1 }, 'failure_id'],
      [{ view: 'stats', process: 'web' }, 'process'],
      [{ view: 'logs', process: '' }, 'process'],
      [{ view: 'logs', extra: true }, ''],
    ] as const) {
      const r = (await ask(input)) as { ok: boolean; error: { code: string; field?: string; message: string } };
      expect(r, JSON.stringify(input)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
      expect(r.error.field ?? '', JSON.stringify(input)).toBe(field);
      if (field) expect(r.error.message).toMatch(new RegExp(`^${field}: `));
    }
    expect(FakeWindow.created).toHaveLength(2);
  });

  it('blocks navigation away and new windows', () => {
    const win = shell.windows.open('logs') as unknown as FakeWindow;
    expect(win.webContents.openHandler!()).toEqual({ action: 'deny' });
    let prevented = 0;
    win.webContents.emit('will-navigate', { preventDefault: () => prevented++ }, 'https://evil.example/');
    win.webContents.emit('will-navigate', { preventDefault: () => prevented++ }, `file://${RENDERER}#/stats`);
    expect(prevented).toBe(1);
  });

  it('sets a strict CSP on every response', () => {
    let headers: Record<string, string[]> = {};
    fake.headerHooks[0]!({ responseHeaders: {} }, (r) => (headers = r.responseHeaders));
    expect(headers['Content-Security-Policy']![0]).toMatch(/default-src 'self'; script-src 'self'/);
  });
});

describe('IPC transport', () => {
  const invoke = (url: string, channel: unknown, input?: unknown) =>
    fake.handlers.get('sentinel:request')!({ senderFrame: { url } }, channel, input);

  it('answers our own page through the contract', async () => {
    const r = (await invoke(OWN_URL, 'processes.list')) as { ok: boolean; result: { name: string }[] };
    expect(r.ok).toBe(true);
    expect(r.result.map((p) => p.name)).toEqual(['web']);
  });

  it('refuses a foreign sender', async () => {
    expect(await invoke('https://evil.example/', 'processes.list')).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    expect(await invoke('file:///tmp/other.html', 'processes.list')).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
  });

  it('validates input and names the bad field', async () => {
    expect(await invoke(OWN_URL, 'failures.list', { limit: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'bad_request', field: 'limit' },
    });
    expect(await invoke(OWN_URL, 'processes.restart', { name: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('pushes events to the open windows', async () => {
    const win = shell.windows.open('status') as unknown as FakeWindow;
    push('status.changed', overall('red', 'x'));
    expect(win.webContents.sent).toContainEqual([
      'sentinel:event',
      'status.changed',
      expect.objectContaining({ status: 'red' }),
    ]);
  });

  it('pushes settings.changed with the OS login item state, not the core\'s "unsupported"', async () => {
    const win = shell.windows.open('settings') as unknown as FakeWindow;
    fake.setLoginStatus('requires-approval');
    expect(await invoke(OWN_URL, 'settings.set', { dry_run: true })).toMatchObject({ ok: true });
    const pushedSettings = win.webContents.sent.filter((m) => m[1] === 'settings.changed');
    expect(pushedSettings).toHaveLength(1);
    expect(pushedSettings[0]![2]).toMatchObject({ dry_run: true, login_item_status: 'requires-approval' });
  });
});

describe('notifications', () => {
  it('notifies when the colour changes, not when only the reason does', () => {
    push('status.changed', overall('green', 'still fine'));
    expect(FakeNotification.shown).toHaveLength(0);
    push('status.changed', overall('red', 'web: down'));
    expect(FakeNotification.shown.map((n) => n.options.title)).toEqual(['Sentinel is red']);
  });

  it('falls back to the tray title when the notification fails (unsigned build)', () => {
    FakeNotification.failOnShow = true;
    push('status.changed', overall('red', 'web: down'));
    expect(FakeTray.last!.title).toBe('× web: down');
    push('status.changed', overall('green', 'ok'));
    expect(FakeTray.last!.title).toBe('');
  });
});

describe('desktop alerts', () => {
  const notice = {
    id: 'a1',
    kind: 'failure',
    severity: 'warning' as const,
    service: 'web',
    title: 'web is not responding',
    message: 'http check failed — failure #7',
    at: Date.now(),
    failure_id: 7,
  };

  it('shows an alert with "Show failure" and "Restart", which do what they say', async () => {
    push('alert.raised', notice);
    const [n] = FakeNotification.shown;
    expect(n!.options).toMatchObject({
      title: 'web is not responding',
      body: 'http check failed — failure #7',
      urgency: 'normal',
      actions: [
        { type: 'button', text: 'Show failure' },
        { type: 'button', text: 'Restart' },
      ],
    });
    n!.emit('action', {}, 0);
    expect(FakeWindow.created.at(-1)!.loaded).toEqual({ file: RENDERER, options: { hash: '/failures' } });
    await waitFor(() => sentinel.supervisor.info('web').state === 'running', { what: 'web running' });
    const before = sentinel.supervisor.info('web').pid;
    n!.emit('action', {}, 1);
    await waitFor(() => sentinel.supervisor.info('web').pid !== before && sentinel.supervisor.info('web').pid, {
      what: 'web restarted by the Restart action',
    });
  });

  it('an upstream alert has no buttons; once alerts arrive, colour changes stay quiet', () => {
    push('alert.raised', { ...notice, kind: 'upstream_down', service: null, failure_id: null, severity: 'info' });
    expect(FakeNotification.shown[0]!.options).toMatchObject({ actions: [], silent: true });
    push('status.changed', overall('red', 'web: down'));
    expect(FakeNotification.shown).toHaveLength(1);
  });
});

describe('buildMenuTemplate', () => {
  it('names external services before processes, and asks for approval when macOS needs it', () => {
    const noop = () => {};
    const actions = {
      forceCheck: noop,
      restart: noop,
      openWindow: noop,
      openLogsFolder: noop,
      setStartAtLogin: noop,
      quit: noop,
    };
    const svc: ServiceStatus = {
      name: 'netbird',
      status: 'green',
      reason: '',
      rule: '',
      since: 0,
      installed: true,
      recovering: false,
      checks: [],
      kind: 'service',
    };
    const missing: ServiceStatus = { ...svc, name: 'tailscale', installed: false, status: 'not-installed' };
    const menu = buildMenuTemplate(
      {
        overall: { ...overall('green', 'ok'), services: [svc, missing] },
        processes: [],
        startAtLogin: true,
        loginNeedsApproval: true,
      },
      actions,
    );
    const labelsOf = menu.map((i) => i.label).filter(Boolean);
    expect(labelsOf).toContain('Restart netbird');
    expect(labelsOf).not.toContain('Restart tailscale');
    expect(menu.find((i) => i.id === 'start-at-login')).toMatchObject({
      checked: true,
      label: 'Start at login (approve in System Settings)',
    });
  });
});
