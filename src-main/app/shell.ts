/**
 * The menu-bar shell around a running core: tray, menu, windows, IPC, login item, notifications. Everything it
 * shows comes through the contract (handlers + events); it holds no business logic of its own.
 */
import type { EventName, Handlers, OverallStatus, ProcessInfo } from '../shared/contract';
import { createDispatcher, type Dispatch } from '../api/dispatch';
import { withApiErrors } from '../api/handlers';
import type { ElectronApi } from './electron-api';
import { registerIpc } from './ipc';
import { electronLoginItem, withLoginItem, type LoginItem } from './login-item';
import type { MenuActions, MenuState } from './menu';
import { createNotifier } from './notifications';
import { createTray, type TrayController } from './tray';
import { createWindowManager, installCsp, isOwnPage, type WindowManager } from './windows';

export interface ShellCore {
  handlers: Handlers;
  subscribe(listener: (event: EventName, payload: unknown) => void, events?: readonly EventName[]): () => void;
}

export interface ShellOptions {
  electron: ElectronApi;
  core: ShellCore;
  platform: NodeJS.Platform;
  assetsDir: string;
  preload: string;
  rendererIndex: string;
  logsDir: string;
  loginItem?: LoginItem;
  onError?: (message: string, err: unknown) => void;
}

export interface Shell {
  tray: TrayController;
  windows: WindowManager;
  dispatch: Dispatch;
  state: MenuState;
  dispose(): void;
}

/** Unwraps a dispatch result for the shell's own calls (the windows get the raw results over IPC). */
async function call<T>(dispatch: Dispatch, channel: string, input?: unknown): Promise<T> {
  const r = await dispatch(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
  return r.result as T;
}

export async function startShell(opts: ShellOptions): Promise<Shell> {
  const { electron } = opts;
  const report = (message: string) => (err: unknown) => opts.onError?.(message, err);
  const loginItem = opts.loginItem ?? electronLoginItem(electron.app, opts.platform);
  const dispatch = createDispatcher(withApiErrors(withLoginItem(opts.core.handlers, loginItem)), (channel, err) =>
    opts.onError?.(`handler ${channel} failed`, err),
  );

  installCsp(electron.session.defaultSession);
  const windows = createWindowManager(electron, { preload: opts.preload, rendererIndex: opts.rendererIndex });
  const unregister = registerIpc(electron, {
    dispatch,
    subscribe: (l) => opts.core.subscribe(l),
    isTrustedSender: (url) => isOwnPage(url, opts.rendererIndex),
    targets: () => windows.all(),
  });

  const snapshot = await call<{ overall: OverallStatus; processes: ProcessInfo[] }>(dispatch, 'status.get');
  const settings = await call<{ start_at_login: boolean; login_item_status: string; notifications: boolean }>(
    dispatch,
    'settings.get',
  );
  const state: MenuState = {
    overall: snapshot.overall,
    processes: snapshot.processes,
    startAtLogin: settings.start_at_login,
    loginNeedsApproval: settings.login_item_status === 'requires-approval',
  };
  let notificationsOn = settings.notifications;

  const actions: MenuActions = {
    forceCheck: () => void call(dispatch, 'checks.run').catch(report('force check failed')),
    restart: (name) => void call(dispatch, 'services.restart', { name }).catch(report(`restart of ${name} failed`)),
    openWindow: (route) => void windows.open(route),
    openLogsFolder: () => void electron.shell.openPath(opts.logsDir),
    setStartAtLogin: (on) =>
      void call<{ start_at_login: boolean; login_item_status: string }>(dispatch, 'settings.set', {
        start_at_login: on,
      })
        .then((s) => {
          state.startAtLogin = s.start_at_login;
          state.loginNeedsApproval = s.login_item_status === 'requires-approval';
          tray.update(state);
        })
        .catch(report('start at login failed')),
    quit: () => electron.app.quit(),
  };

  const tray = createTray(electron, { assetsDir: opts.assetsDir, platform: opts.platform, state, actions });
  const notifier = createNotifier(electron, {
    enabled: () => notificationsOn,
    setTrayTitle: (t) => tray.setTitle(t),
    onClick: () => windows.open('failures'),
  });
  notifier.onStatus(state.overall);

  // The tray shows states, not CPU figures: it does not keep every process's sampling on.
  const unsubscribe = opts.core.subscribe((event, payload) => {
    if (event === 'status.changed') {
      state.overall = payload as OverallStatus;
      notifier.onStatus(state.overall);
    } else if (event === 'process.changed') {
      const info = payload as ProcessInfo;
      const i = state.processes.findIndex((p) => p.name === info.name);
      if (i >= 0) state.processes[i] = info;
      else state.processes.push(info);
    } else if (event === 'settings.changed') {
      notificationsOn = (payload as { notifications: boolean }).notifications;
      return;
    } else {
      return;
    }
    tray.update(state);
  }, TRAY_EVENTS);

  return {
    tray,
    windows,
    dispatch,
    state,
    dispose: () => {
      unsubscribe();
      unregister();
    },
  };
}

const TRAY_EVENTS: readonly EventName[] = ['status.changed', 'process.changed', 'settings.changed'];
