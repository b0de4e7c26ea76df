/**
 * The windows' SentinelClient in headless mode: one WebSocket to /ws with request ids, pushed events and
 * reconnection (backoff 0.5 s → 5 s). Requests made while disconnected wait for the next connection; requests in
 * flight when the socket drops fail (the server may or may not have acted, so we never resend them silently).
 * In Electron the preload provides `window.sentinel` with the same interface and this file is not used.
 */
import {
  type Channel,
  type EventArgs,
  type EventListener,
  type EventName,
  type EventPayload,
  type RequestInput,
  type RequestResult,
  type SentinelClient,
} from '../../../src-main/shared/contract';
import { listenerFor } from '../../../src-main/shared/listen';
import { SHELL_CHANNELS } from '../../../src-main/shared/shell-channels';
import { outcomeResult, type Outcome } from '../../../src-main/shared/errors';

type Reply = Outcome & { id: number | string | null };
/** A pushed event (the server sends only the contract's events). */
type Push = { event: EventArgs[0]; payload: EventArgs[1] };
/** `sent`: the request reached a socket, so losing that socket loses the request (it is not resent). */
type Pending = { text: string; sent: boolean; resolve: (v: unknown) => void; reject: (e: Error) => void };
/** WebSocket.OPEN, spelled out so the client also runs over a WebSocket implementation without the static. */
const OPEN = 1;

export interface WsClientOptions {
  /** ws://host:port/ws?token=… */
  url: string;
  /** Told on every (re)connection after the first, so views re-query what they may have missed. */
  onReconnect?: () => void;
  onConnectionChange?: (connected: boolean) => void;
  WebSocketImpl?: typeof WebSocket;
}

export class WsClient implements SentinelClient {
  private socket: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<EventListener>();
  private retryMs = 500;
  private connectedOnce = false;
  private closed = false;

  constructor(private readonly opts: WsClientOptions) {
    this.connect();
  }

  request<C extends Channel>(channel: C, input?: RequestInput<C>): Promise<RequestResult<C>> {
    const id = this.nextId++;
    const text = JSON.stringify({ id, channel, input });
    return new Promise<RequestResult<C>>((resolve, reject) => {
      const p: Pending = { text, sent: false, resolve: resolve as (v: unknown) => void, reject };
      this.pending.set(id, p);
      if (this.socket?.readyState === OPEN) this.send(p);
    });
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    const l = listenerFor(event, listener);
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Everything but the menu-bar app's own channels: a browser tab has no app windows to open. */
  offers(channel: Channel): boolean {
    return !(SHELL_CHANNELS as readonly string[]).includes(channel);
  }

  close(): void {
    this.closed = true;
    this.socket?.close();
  }

  private connect(): void {
    const Impl = this.opts.WebSocketImpl ?? globalThis.WebSocket;
    const socket = new Impl(this.opts.url);
    this.socket = socket;
    socket.onopen = () => {
      this.retryMs = 500;
      for (const p of this.pending.values()) if (!p.sent) this.send(p);
      this.opts.onConnectionChange?.(true);
      if (this.connectedOnce) this.opts.onReconnect?.();
      this.connectedOnce = true;
    };
    socket.onmessage = (ev) => this.receive(String(ev.data));
    socket.onclose = () => {
      this.opts.onConnectionChange?.(false);
      for (const [id, p] of this.pending) {
        if (!p.sent) continue; // still waiting for a connection: goes out on the next one
        this.pending.delete(id);
        p.reject(new Error('connection to Sentinel lost'));
      }
      if (this.closed) return;
      setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 5000);
    };
  }

  private send(p: Pending): void {
    this.socket!.send(p.text);
    p.sent = true;
  }

  private receive(text: string): void {
    let msg: Reply | Push;
    try {
      msg = JSON.parse(text) as Reply | Push;
    } catch {
      return;
    }
    if ('event' in msg) {
      const args = [msg.event, msg.payload] as EventArgs;
      for (const l of this.listeners) l(...args);
      return;
    }
    if (typeof msg.id !== 'number') return;
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    try {
      p.resolve(outcomeResult(msg));
    } catch (refusal) {
      p.reject(refusal as Error);
    }
  }
}
