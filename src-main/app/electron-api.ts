/**
 * The part of Electron the shell uses. Every module takes it as a parameter (main.ts passes the real module), so
 * the wiring is type-checked against electron.d.ts and tested against a small fake where no Electron binary exists.
 */
import type * as Electron from 'electron';

export type ElectronApi = Pick<
  typeof Electron,
  | 'app'
  | 'Tray'
  | 'Menu'
  | 'BrowserWindow'
  | 'nativeImage'
  | 'ipcMain'
  | 'Notification'
  | 'shell'
  | 'session'
  | 'powerMonitor'
>;
export type { Electron };
