/**
 * "Start at login" belongs to the OS, not to our store: macOS 13+ registers the app with SMAppService and the user
 * may have to approve it (or revoke it) in System Settings. The settings handlers are wrapped so the windows and
 * the menu always see the OS's answer.
 */
import type { Dispatch } from '../api/dispatch';
import type { AppSettings } from '../shared/contract';
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
export function withLoginItem(dispatch: Dispatch, item: LoginItem): Dispatch {
  const merge = (s: AppSettings): AppSettings => {
    const os = item.get();
    return { ...s, start_at_login: os.openAtLogin, login_item_status: os.status };
  };
  return async (channel, input) => {
    if (channel !== 'settings.get' && channel !== 'settings.set') return dispatch(channel, input);
    const r = await dispatch(channel, input);
    if (!r.ok) return r;
    const wanted = (input as { start_at_login?: unknown } | undefined)?.start_at_login;
    if (channel === 'settings.set' && typeof wanted === 'boolean') item.set(wanted);
    return { ok: true, result: merge(r.result as AppSettings) };
  };
}
