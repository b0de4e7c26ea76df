/**
 * The one client every view uses: Electron's preload `window.sentinel` when present, else the WebSocket client
 * to the headless server this page was served from.
 */
import type { SentinelClient } from '../../../src-main/shared/contract';
import { takeToken } from './token';
import { WsClient } from './transport';
import { connection } from './connection.svelte';

declare global {
  interface Window {
    sentinel?: SentinelClient;
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
  if (window.sentinel) {
    connection.connected = true;
    return window.sentinel;
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
