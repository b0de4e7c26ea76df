/**
 * Runs in each window before the page, sandboxed (hence CommonJS, bundled to dist/main/preload.cjs). Exposes the
 * contract's typed client as `window.sentinel` — never ipcRenderer itself.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { EventName, SentinelClient } from '../shared/contract';
import type { DispatchResult } from '../api/dispatch';
import { EVENT_CHANNEL, REQUEST_CHANNEL } from './ipc';

const client: SentinelClient = {
  async request(channel, input) {
    const r = (await ipcRenderer.invoke(REQUEST_CHANNEL, channel, input)) as DispatchResult;
    if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code, field: r.error.field });
    return r.result as never;
  },
  on(event, listener) {
    const handler = (_e: IpcRendererEvent, name: EventName, payload: unknown) => {
      if (name === event) (listener as (p: unknown) => void)(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, handler);
  },
};

contextBridge.exposeInMainWorld('sentinel', client);
