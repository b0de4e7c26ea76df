/**
 * The menu-bar shell around a running core: tray, menu, windows, IPC, login item, notifications. Everything it
 * shows comes through the contract (handlers + events); it holds no business logic of its own.
 */
import type { Channel, EventListener, EventName, RequestInput, RequestResult } from '../shared/contract';
import { outcomeResult } from '../shared/errors';
import type { Dispatch } from '../api/dispatch';
import type { ElectronApi } from './electron-api';
import { registerIpc } from './ipc';
import { electronLoginItem, withLoginItem, withLoginItemEvents, type LoginItem } from './login-item';
import type { MenuActions, MenuState } from './menu';
import { createAlertNotifier, createNotifier } from './notifications';
import { createTray, type TrayController } from './tray';
import { withWindowRequests } from './window-requests';
import { createWindowManager, installCsp, isOwnPage, type WindowManager } from './windows';

/**
 * What the shell needs of the core: the one dispatcher and the event stream. The in-process host
 * (host/open.ts) and a socket client attached to a `sentinel run` (host/attach.ts) both satisfy it.
 */
export interface ShellCore {
  dispatch: Dispatch;
  /** `events`: what the listener wants (the tray does not want CPU figures, which keep sampling on). */
  subscribe(listener: EventListener, events?: readonly EventName[]): () => void;
  /** Set when the shell works through another process's supervisor: said in the tooltip. */
  attached?: { describe(): string; onState(listener: () => void): () => void };
  /** The machine woke: failing checks get their wake grace (the in-process host; an attached daemon has its own). */
  notifyWake?(): void;
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
  /** Why "Start at login" must stay off (a `sentinel service` supervises this data dir), or null. */
  loginConflict?: () => string | null;
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
async function call<C extends Channel>(
  dispatch: Dispatch,
  channel: C,
  input?: RequestInput<C>,
): Promise<RequestResult<C>> {
  return outcomeResult(await dispatch(channel, input)) as RequestResult<C>;
}

export async function startShell(opts: ShellOptions): Promise<Shell> {
  const { electron } = opts;
  const report = (message: string) => (err: unknown) => opts.onError?.(message, err);
  const loginItem = opts.loginItem ?? electronLoginItem(electron.app, opts.platform);
  installCsp(electron.session.defaultSession);
  const windows = createWindowManager(electron, { preload: opts.preload, rendererIndex: opts.rendererIndex });
  const dispatch = withWindowRequests(withLoginItem(opts.core.dispatch, loginItem, opts.loginConflict), windows);
  const subscribe = withLoginItemEvents((l, events) => opts.core.subscribe(l, events), loginItem);
  const unregister = registerIpc(electron, {
    dispatch,
    subscribe: (l) => subscribe(l),
    isTrustedSender: (url) => isOwnPage(url, opts.rendererIndex),
    targets: () => windows.all(),
  });

  const snapshot = await call(dispatch, 'status.get');
  const settings = await call(dispatch, 'settings.get');
  const state: MenuState = {
    overall: snapshot.overall,
    processes: snapshot.processes,
    startAtLogin: settings.start_at_login,
    loginNeedsApproval: settings.login_item_status === 'requires-approval',
    ...(opts.core.attached ? { attachedTo: opts.core.attached.describe() } : {}),
  };
  let notificationsOn = settings.notifications;

  const actions: MenuActions = {
    forceCheck: () => void call(dispatch, 'checks.run').catch(report('force check failed')),
    restart: (name) => void call(dispatch, 'services.restart', { name }).catch(report(`restart of ${name} failed`)),
    openWindow: (route) => void windows.open(route),
    openLogsFolder: () => void electron.shell.openPath(opts.logsDir),
    setStartAtLogin: (on) =>
      void call(dispatch, 'settings.set', {
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

  const tray = createTray(electron, {
    assetsDir: opts.assetsDir,
    platform: opts.platform,
    state,
    actions,
    onClick: (bounds) => windows.togglePopover(bounds),
  });
  const alertNotifier = createAlertNotifier(electron, {
    enabled: () => notificationsOn,
    showFailure: () => void windows.open('failures'),
    restart: actions.restart,
  });
  const notifier = createNotifier(electron, {
    enabled: () => notificationsOn,
    setTrayTitle: (t) => tray.setTitle(t),
    onClick: () => windows.open('failures'),
    superseded: () => alertNotifier.active(),
  });
  notifier.onStatus(state.overall);

  // The tray shows states, not CPU figures: it does not keep every process's sampling on.
  const unsubscribe = subscribe((event, payload) => {
    if (event === 'status.changed') {
      state.overall = payload;
      notifier.onStatus(state.overall);
    } else if (event === 'process.changed') {
      const i = state.processes.findIndex((p) => p.name === payload.name);
      if (i >= 0) state.processes[i] = payload;
      else state.processes.push(payload);
    } else if (event === 'settings.changed') {
      notificationsOn = payload.notifications;
      return;
    } else if (event === 'alert.raised') {
      alertNotifier.onAlert(payload);
      return;
    } else {
      return;
    }
    tray.update(state);
  }, TRAY_EVENTS);

  const unwatch = opts.core.attached?.onState(() => {
    state.attachedTo = opts.core.attached!.describe();
    tray.update(state);
  });

  // A Mac that slept comes back with stale sockets and DNS: say so at once, so the first failing round is held.
  const onResume = () => opts.core.notifyWake?.();
  electron.powerMonitor.on('resume', onResume);

  return {
    tray,
    windows,
    dispatch,
    state,
    dispose: () => {
      unwatch?.();
      unsubscribe();
      unregister();
      electron.powerMonitor.off('resume', onResume);
    },
  };
}

const TRAY_EVENTS: readonly EventName[] = ['status.changed', 'process.changed', 'settings.changed', 'alert.raised'];
