/**
 * Runs in each window before the page, sandboxed (hence CommonJS, bundled to dist/main/preload.cjs). Exposes the
 * contract's IPC bridge as `window.sentinel` — never ipcRenderer itself. Replies cross as outcomes, not thrown
 * errors: the context bridge would strip a thrown error's code.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { EventArgs, IpcBridge } from '../shared/contract';
import type { Outcome } from '../shared/errors';
import { EVENT_CHANNEL, REQUEST_CHANNEL } from './ipc';

const bridge: IpcBridge = {
  async request(channel, input) {
    return (await ipcRenderer.invoke(REQUEST_CHANNEL, channel, input)) as Outcome;
  },
  onEvent(listener) {
    const handler = (_e: IpcRendererEvent, ...args: EventArgs) => listener(...args);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, handler);
  },
};

contextBridge.exposeInMainWorld('sentinel', bridge);
