/**
 * The app's way in when a `sentinel run` already serves the data dir: the same HostCore (dispatch + subscribe),
 * but over the daemon's Unix socket. The tray, menu and windows then work through the daemon instead of a second
 * supervisor. When the daemon restarts, the connection is made again and subscribers get the fresh status.
 */
import type { DispatchResult } from '../api/dispatch';
import { SocketClient, readApiInfo } from '../api/socket-client';
import { SentinelError } from '../shared/errors';
import {
  EVENT_NAMES,
  isChannel,
  type EventArgs,
  type EventListener,
  type EventName,
  type RequestResult,
} from '../shared/contract';
import type { HostCore } from './open';

export type AttachState = { connected: true; pid: number | null } | { connected: false; reason: string };

export interface AttachedCore extends HostCore {
  /** Who we are attached to, e.g. "attached to sentinel run (pid 4242)". */
  describe(): string;
  /** Connection changes (the daemon stopped / came back). */
  onState(listener: (state: AttachState) => void): () => void;
  close(): void;
}

export interface AttachOptions {
  /** How long to keep trying at first (a daemon that holds the lock may not serve its socket yet). */
  connectTimeoutMs?: number;
  /** Pause between reconnection attempts after the daemon went away. */
  retryMs?: number;
}

export async function attachToHost(dataDir: string, opts: AttachOptions = {}): Promise<AttachedCore> {
  const retryMs = opts.retryMs ?? 1000;
  const listeners = new Set<EventListener>();
  const stateListeners = new Set<(s: AttachState) => void>();
  let state: AttachState = { connected: false, reason: 'connecting' };
  let client: SocketClient | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const setState = (s: AttachState) => {
    state = s;
    for (const l of stateListeners) l(s);
  };
  const fanOut = (...args: EventArgs) => {
    for (const l of listeners) l(...args);
  };

  const connect = async (): Promise<void> => {
    const c = await SocketClient.connect(dataDir);
    // Not processes.usage: that subscription keeps the daemon sampling every process, and an attached app's tray
    // is open all day; its windows get CPU/memory with each status they load.
    await c.subscribe(
      EVENT_NAMES.filter((e) => e !== 'processes.usage'),
      fanOut as (event: EventName, payload: unknown) => void,
    );
    client = c;
    setState({ connected: true, pid: readApiInfo(dataDir)?.pid ?? null });
    void c.closed.then(() => {
      if (closed || client !== c) return;
      client = undefined;
      setState({ connected: false, reason: 'sentinel run stopped' });
      scheduleReconnect();
    });
  };
  const scheduleReconnect = () => {
    if (closed) return;
    retry = setTimeout(() => {
      connect()
        .then(async () => {
          // Whatever changed while we were away: one fresh status for the tray.
          const r = await dispatch('status.get', {});
          if (r.ok) fanOut('status.changed', (r.result as RequestResult<'status.get'>).overall);
        })
        .catch(() => scheduleReconnect());
    }, retryMs);
  };

  const deadline = Date.now() + (opts.connectTimeoutMs ?? 10_000);
  for (;;) {
    try {
      await connect();
      break;
    } catch (err) {
      if (Date.now() >= deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function dispatch(channel: unknown, input: unknown): Promise<DispatchResult> {
    if (!isChannel(channel))
      return {
        ok: false,
        error: { code: 'not_found', message: `unknown channel ${JSON.stringify(channel)}`, field: 'channel' },
      };
    if (!client) return { ok: false, error: { code: 'internal', message: `not connected: ${describe()}` } };
    try {
      return { ok: true, result: await client.request(channel, input as never) };
    } catch (err) {
      if (err instanceof SentinelError) return { ok: false, error: err.toApiError() };
      return { ok: false, error: { code: 'internal', message: err instanceof Error ? err.message : String(err) } };
    }
  }

  function describe(): string {
    if (state.connected) return `attached to sentinel run${state.pid === null ? '' : ` (pid ${state.pid})`}`;
    return `attached to sentinel run: ${state.reason}, reconnecting`;
  }

  return {
    dispatch,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    describe,
    onState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    close() {
      closed = true;
      clearTimeout(retry);
      client?.close();
      listeners.clear();
    },
  };
}
