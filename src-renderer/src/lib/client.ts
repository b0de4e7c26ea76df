/**
 * The one client every view uses: over Electron's preload bridge `window.sentinel` when present, else the
 * WebSocket client to the headless server this page was served from. Both throw SentinelError for a refusal.
 * The WebSocket reconnects by itself (same URL: the host keeps a data dir's port and token across restarts), so a
 * window survives `sentinel run` restarting.
 */
import type { IpcBridge, SentinelClient } from '../../../src-main/shared/contract';
import { listenerFor } from '../../../src-main/shared/listen';
import { outcomeResult } from '../../../src-main/shared/errors';
import { takeToken } from './token';
import { WsClient } from './transport';
import { connection } from './connection.svelte';

declare global {
  interface Window {
    sentinel?: IpcBridge;
  }
}

type ReconnectListener = () => void;
const reconnectListeners = new Set<ReconnectListener>();

/** Runs `fn` after the transport reconnects (events may have been missed); returns an unsubscribe. */
export function onReconnect(fn: ReconnectListener): () => void {
  reconnectListeners.add(fn);
  return () => reconnectListeners.delete(fn);
}

/**
 * After the socket drops or is refused: is the daemon gone, or is our token refused? One HTTP request answers it
 * (401 → token; no answer → daemon down). Any other answer means the daemon is there and the socket will reconnect.
 */
async function diagnose(token: string | null): Promise<void> {
  if (token === null) {
    connection.tokenMissing = true;
    connection.state = 'unauthorized';
    return;
  }
  try {
    const r = await fetch(new URL('api/status.get', window.location.href), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    if (connection.state === 'connected') return; // reconnected meanwhile
    connection.state = r.status === 401 ? 'unauthorized' : 'down';
  } catch {
    if (connection.state !== 'connected') connection.state = 'down';
  }
}

function createClient(): SentinelClient {
  const bridge = window.sentinel;
  if (bridge) {
    connection.state = 'connected';
    return {
      request: async (channel, input) => outcomeResult(await bridge.request(channel, input)) as never,
      on: (event, listener) => bridge.onEvent(listenerFor(event, listener)),
      // The menu-bar app's shell answers every channel, its own (window.open) included.
      offers: () => true,
    };
  }
  const token = takeToken();
  const wsUrl = new URL('ws', window.location.href);
  wsUrl.protocol = wsUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  wsUrl.hash = '';
  wsUrl.search = '';
  if (token) wsUrl.searchParams.set('token', token);
  let checking = false;
  return new WsClient({
    url: wsUrl.href,
    onConnectionChange: (up) => {
      if (up) {
        connection.state = 'connected';
        connection.tokenMissing = false;
        return;
      }
      if (connection.state === 'connected') connection.state = 'down';
      if (checking) return;
      checking = true;
      void diagnose(token).finally(() => (checking = false));
    },
    onReconnect: () => reconnectListeners.forEach((fn) => fn()),
  });
}

export const client: SentinelClient = createClient();
