/**
 * The tray menu as a pure function of what Sentinel knows, so its items are tested without Electron:
 * status line, Force check now, Restart <name> for every service and process, windows, Start at login, Quit.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { OverallStatus, ProcessInfo } from '../shared/contract';
import { statusLine } from './status-line';

export interface MenuState {
  overall: OverallStatus;
  processes: ProcessInfo[];
  startAtLogin: boolean;
  /** macOS 13+: the login item waits for the user's approval in System Settings. */
  loginNeedsApproval: boolean;
  /** Set when the app works through a `sentinel run` (e.g. "attached to sentinel run (pid 42)"). */
  attachedTo?: string;
}

export interface MenuActions {
  forceCheck(): void;
  restart(name: string): void;
  openWindow(route: 'status' | 'failures' | 'logs' | 'stats' | 'processes'): void;
  openLogsFolder(): void;
  setStartAtLogin(on: boolean): void;
  quit(): void;
}

export function buildMenuTemplate(state: MenuState, actions: MenuActions): MenuItemConstructorOptions[] {
  const services = state.overall.services.filter((s) => s.kind === 'service' && s.installed).map((s) => s.name);
  const processes = state.processes.map((p) => p.name).filter((n) => !services.includes(n));
  const restartItem = (name: string): MenuItemConstructorOptions => ({
    label: `Restart ${name}`,
    click: () => actions.restart(name),
  });
  return [
    { id: 'status', label: statusLine(state.overall), enabled: false },
    { type: 'separator' },
    { id: 'force-check', label: 'Force check now', accelerator: 'CmdOrCtrl+R', click: () => actions.forceCheck() },
    ...(services.length + processes.length > 0 ? [{ type: 'separator' } as const] : []),
    ...services.map(restartItem),
    ...processes.map(restartItem),
    { type: 'separator' },
    { label: 'Status…', click: () => actions.openWindow('status') },
    { label: 'Recent failures…', click: () => actions.openWindow('failures') },
    { label: 'Logs…', click: () => actions.openWindow('logs') },
    { label: 'Open logs folder', click: () => actions.openLogsFolder() },
    { type: 'separator' },
    {
      id: 'start-at-login',
      label: state.loginNeedsApproval ? 'Start at login (approve in System Settings)' : 'Start at login',
      type: 'checkbox',
      checked: state.startAtLogin,
      click: (item) => actions.setStartAtLogin(item.checked),
    },
    { type: 'separator' },
    { label: 'Quit Sentinel', accelerator: 'CmdOrCtrl+Q', click: () => actions.quit() },
  ];
}
