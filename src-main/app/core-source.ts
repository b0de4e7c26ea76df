/**
 * Where the app's core comes from: its own host (the same one `sentinel run` runs), or — when a `sentinel run`
 * already holds the data dir — that daemon, attached over its socket. Never a second supervisor.
 *
 * An attached app takes over when that daemon is gone for good: once it has been unreachable for a while and its
 * lock is free, the app opens its own host on the data dir, so the processes are supervised again instead of the
 * tray saying "reconnecting" for ever. A daemon that comes back within that time is attached to again, and a
 * `sentinel service` (launchd/systemd) that supervises the data dir is never raced: its manager restarts it.
 */
import { attachToHost, type AttachedCore, type AttachOptions } from '../host/attach';
import { DataDirLocked } from '../host/lock';
import { openHost, type Host } from '../host/open';
import type { EventListener, EventName, RequestResult } from '../shared/contract';
import type { ShellCore } from './shell';

export interface CoreSource {
  core: ShellCore;
  /** The in-process host; undefined while attached. */
  readonly host?: Host;
  close(): Promise<void>;
}

export interface TakeoverOptions {
  /** How long the attached daemon must stay unreachable before the app supervises the data dir itself. */
  afterMs?: number;
  /** Whether the app may take over: false while a service manager supervises the data dir (it restarts it). */
  allowed?: () => boolean;
  /** What happened (took over, declined, an attempt failed), for the app's log. */
  onNote?: (message: string) => void;
}

type HostOptions = Parameters<typeof openHost>[0];

/** The host of this data dir, or the `sentinel run` that already is it. */
export async function hostOrAttach(
  opts: HostOptions,
  attach: AttachOptions = {},
  takeover: TakeoverOptions = {},
): Promise<CoreSource> {
  try {
    const host = await openHost(opts);
    return { core: hostCore(host), host, close: () => host.close() };
  } catch (err) {
    if (!(err instanceof DataDirLocked)) throw err;
    return attachedSource(opts, await attachToHost(opts.dataDir, attach), attach, takeover);
  }
}

function hostCore(host: Host): ShellCore {
  return {
    dispatch: host.dispatch,
    subscribe: host.subscribe,
    // powerMonitor's resume reaches the health monitor at once (the host's own clock-jump check is the fallback).
    notifyWake: () => host.sentinel.notifyWake(),
  };
}

interface Subscription {
  listener: EventListener;
  events?: readonly EventName[];
  off: () => void;
}

/**
 * The attached core, which becomes the app's own host once the daemon is gone for good. Subscriptions and the
 * shell's view of the core stay the same objects across the switch: the shell never learns which one answers.
 */
function attachedSource(
  opts: HostOptions,
  attached: AttachedCore,
  attach: AttachOptions,
  takeover: TakeoverOptions,
): CoreSource {
  const afterMs = takeover.afterMs ?? 10_000;
  const retryMs = attach.retryMs ?? 1000;
  let host: Host | undefined;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let goneSince: number | null = null;
  const subscriptions = new Set<Subscription>();
  const stateListeners = new Set<() => void>();

  const current = (): ShellCore => (host ? hostCore(host) : attached);
  const subscribeTo = (s: Subscription) => {
    s.off = current().subscribe(s.listener, s.events);
  };

  const attempt = async (): Promise<void> => {
    timer = undefined;
    if (closed || host || goneSince === null) return;
    if (takeover.allowed && !takeover.allowed()) {
      takeover.onNote?.('the attached sentinel run is gone; a service supervises this data dir, so the app waits');
      return;
    }
    let opened: Host;
    try {
      opened = await openHost(opts);
    } catch (err) {
      // Still locked: the daemon is stopping its children, or another one started. Try again while it stays away.
      if (!(err instanceof DataDirLocked))
        takeover.onNote?.(`could not take over: ${err instanceof Error ? err.message : String(err)}`);
      if (goneSince !== null && !closed) timer = setTimeout(() => void attempt(), retryMs);
      return;
    }
    if (closed) return void (await opened.close());
    host = opened;
    attached.close();
    for (const s of subscriptions) {
      s.off();
      subscribeTo(s);
    }
    takeover.onNote?.(`the attached sentinel run was gone for ${afterMs} ms: the app supervises ${opts.dataDir}`);
    for (const l of stateListeners) l();
    // The tray and open windows learn the new supervisor's status at once, not at its first change.
    const r = await opened.dispatch('status.get', {});
    if (!r.ok) return;
    const overall = (r.result as RequestResult<'status.get'>).overall;
    for (const s of subscriptions)
      if (!s.events || s.events.includes('status.changed')) s.listener('status.changed', overall);
  };

  const unwatch = attached.onState((state) => {
    if (state.connected) {
      goneSince = null;
      clearTimeout(timer);
      timer = undefined;
    } else if (goneSince === null) {
      goneSince = Date.now();
      timer = setTimeout(() => void attempt(), afterMs);
    }
    for (const l of stateListeners) l();
  });

  const core: ShellCore = {
    dispatch: (channel, input) => current().dispatch(channel, input),
    subscribe(listener, events) {
      const s: Subscription = { listener, ...(events ? { events } : {}), off: () => {} };
      subscribeTo(s);
      subscriptions.add(s);
      return () => {
        s.off();
        subscriptions.delete(s);
      };
    },
    attached: {
      // Empty once the app supervises by itself: the tooltip then says nothing about attaching.
      describe: () => (host ? '' : attached.describe()),
      onState(listener) {
        stateListeners.add(listener);
        return () => stateListeners.delete(listener);
      },
    },
    notifyWake: () => host?.sentinel.notifyWake(),
  };
  return {
    core,
    get host() {
      return host;
    },
    close: async () => {
      closed = true;
      clearTimeout(timer);
      unwatch();
      if (host) await host.close();
      else attached.close();
    },
  };
}
