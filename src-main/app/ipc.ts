/**
 * The Electron transport of the contract: one invoke channel for requests (validated by the same dispatcher as
 * HTTP and the socket) and one push channel for events. Requests from anything but our own page are refused.
 */
import type { EventListener } from '../shared/contract';
import type { Dispatch, DispatchResult } from '../api/dispatch';
import type { ElectronApi } from './electron-api';

export const REQUEST_CHANNEL = 'sentinel:request';
export const EVENT_CHANNEL = 'sentinel:event';

export interface IpcOptions {
  dispatch: Dispatch;
  subscribe: (listener: EventListener) => () => void;
  isTrustedSender: (url: string) => boolean;
  /** The windows to push events to. */
  targets: () => { webContents: { send(channel: string, ...args: unknown[]): void; isDestroyed(): boolean } }[];
}

export function registerIpc(electron: Pick<ElectronApi, 'ipcMain'>, opts: IpcOptions): () => void {
  electron.ipcMain.handle(REQUEST_CHANNEL, async (event, channel: unknown, input: unknown): Promise<DispatchResult> => {
    const url = event.senderFrame?.url ?? '';
    if (!opts.isTrustedSender(url))
      return {
        ok: false,
        error: { code: 'unauthorized', message: `refused a request from ${url || 'an unknown frame'}` },
      };
    return opts.dispatch(channel, input);
  });
  const unsubscribe = opts.subscribe((name, payload) => {
    for (const w of opts.targets()) if (!w.webContents.isDestroyed()) w.webContents.send(EVENT_CHANNEL, name, payload);
  });
  return () => {
    electron.ipcMain.removeHandler(REQUEST_CHANNEL);
    unsubscribe();
  };
}
