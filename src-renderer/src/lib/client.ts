/**
 * The one client every view uses: over Electron's preload bridge `window.sentinel` when present, else the
 * WebSocket client to the headless server this page was served from. Both throw SentinelError for a refusal.
 */
import { listenerFor, type IpcBridge, type SentinelClient } from '../../../src-main/shared/contract';
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

function createClient(): SentinelClient {
  const bridge = window.sentinel;
  if (bridge) {
    connection.connected = true;
    return {
      request: async (channel, input) => outcomeResult(await bridge.request(channel, input)) as never,
      on: (event, listener) => bridge.onEvent(listenerFor(event, listener)),
    };
  }
  const token = takeToken();
  const wsUrl = new URL('ws', window.location.href);
  wsUrl.protocol = wsUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  wsUrl.hash = '';
  wsUrl.search = '';
  if (token) wsUrl.searchParams.set('token', token);
  return new WsClient({
    url: wsUrl.href,
    onConnectionChange: (up) => (connection.connected = up),
    onReconnect: () => reconnectListeners.forEach((fn) => fn()),
  });
}

export const client: SentinelClient = createClient();
