/**
 * "Start at login" belongs to the OS, not to our store: macOS 13+ registers the app with SMAppService and the user
 * may have to approve it (or revoke it) in System Settings. The settings handlers are wrapped so the windows and
 * the menu always see the OS's answer.
 */
import type { Dispatch } from '../api/dispatch';
import type { AppSettings, EventListener, EventName } from '../shared/contract';
import { resolve } from 'node:path';
import { resolvePaths } from '../core/config/paths';
import { serviceLocation } from '../platform/service-def';
import type { ElectronApi } from './electron-api';

export type LoginItemStatus = AppSettings['login_item_status'];

export interface LoginItem {
  get(): { openAtLogin: boolean; status: LoginItemStatus };
  set(openAtLogin: boolean): void;
}

const KNOWN: readonly LoginItemStatus[] = ['enabled', 'not-registered', 'requires-approval', 'not-found'];

export function electronLoginItem(app: ElectronApi['app'], platform: NodeJS.Platform): LoginItem {
  if (platform !== 'darwin' && platform !== 'win32') {
    return { get: () => ({ openAtLogin: false, status: 'unsupported' }), set: () => {} };
  }
  return {
    get() {
      const s = app.getLoginItemSettings();
      const status = (s as { status?: string }).status;
      return {
        openAtLogin: s.openAtLogin,
        status: KNOWN.includes(status as LoginItemStatus)
          ? (status as LoginItemStatus)
          : s.openAtLogin
            ? 'enabled'
            : 'not-registered',
      };
    },
    set(openAtLogin) {
      app.setLoginItemSettings({ openAtLogin, ...(platform === 'darwin' ? { type: 'mainAppService' } : {}) });
    },
  };
}

/**
 * Wraps the one dispatcher (the host's, or the attached daemon's): settings answers carry the OS's login item
 * state, and a settings.set that the core accepted also (un)registers the login item.
 */
function merge(s: AppSettings, item: LoginItem): AppSettings {
  const os = item.get();
  return { ...s, start_at_login: os.openAtLogin, login_item_status: os.status };
}

export function withLoginItem(dispatch: Dispatch, item: LoginItem, refuse: () => string | null = () => null): Dispatch {
  return async (channel, input) => {
    if (channel !== 'settings.get' && channel !== 'settings.set') return dispatch(channel, input);
    const wantsOn = (input as { start_at_login?: unknown } | undefined)?.start_at_login === true;
    const why = channel === 'settings.set' && wantsOn ? refuse() : null;
    if (why !== null) return { ok: false, error: { code: 'conflict', message: why, field: 'start_at_login' } };
    const r = await dispatch(channel, input);
    if (!r.ok) return r;
    const wanted = (input as { start_at_login?: unknown } | undefined)?.start_at_login;
    if (channel === 'settings.set' && typeof wanted === 'boolean') item.set(wanted);
    return { ok: true, result: merge(r.result as AppSettings, item) };
  };
}

type Subscribe = (listener: EventListener, events?: readonly EventName[]) => () => void;

/**
 * The same for pushed events: the core emits settings.changed with its own answer ("unsupported"), which would
 * disable the windows' Start at login switch after any other setting changed.
 */
export function withLoginItemEvents(subscribe: Subscribe, item: LoginItem): Subscribe {
  return (listener, events) =>
    subscribe((...args) => {
      if (args[0] === 'settings.changed') listener('settings.changed', merge(args[1], item));
      else listener(...args);
    }, events);
}

/**
 * One supervisor per data dir, from the app's side: "Start at login" is refused while `sentinel service install`
 * keeps a `sentinel run` of the same data dir alive at login (its LaunchAgent or unit file exists). The other side,
 * `sentinel service install`, refuses while the app's start_at_login setting is on in that data dir's store.
 */
export function serviceConflict(p: {
  platform: NodeJS.Platform;
  home: string;
  dataDir: string;
  env: Record<string, string | undefined>;
  exists: (file: string) => boolean;
}): () => string | null {
  const isDefaultDataDir =
    resolve(p.dataDir) === resolve(resolvePaths({ env: {}, home: p.home, platform: p.platform }).dataDir);
  const where = serviceLocation({
    platform: p.platform,
    home: p.home,
    dataDir: resolve(p.dataDir),
    isDefaultDataDir,
    configHome: p.env.XDG_CONFIG_HOME,
  });
  return () =>
    where && p.exists(where.file)
      ? `a service (${where.file}) already runs the supervisor of ${p.dataDir} at login; remove it with \`sentinel service uninstall\` first`
      : null;
}
