/**
 * "Start at login" belongs to the OS, not to our store: macOS 13+ registers the app with SMAppService and the user
 * may have to approve it (or revoke it) in System Settings. The settings handlers are wrapped so the windows and
 * the menu always see the OS's answer.
 */
import type { AppSettings, Handlers } from '../shared/contract';
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

export function withLoginItem(handlers: Handlers, item: LoginItem): Handlers {
  const merge = (s: AppSettings): AppSettings => {
    const os = item.get();
    return { ...s, start_at_login: os.openAtLogin, login_item_status: os.status };
  };
  return {
    ...handlers,
    'settings.get': async (args) => merge(await handlers['settings.get'](args)),
    'settings.set': async (patch) => {
      if (patch.start_at_login !== undefined) item.set(patch.start_at_login);
      return merge(await handlers['settings.set'](patch));
    },
  };
}
