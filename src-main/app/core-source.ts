/**
 * Where the app's core comes from: its own host (the same one `sentinel run` runs), or — when a `sentinel run`
 * already holds the data dir — that daemon, attached over its socket. Never a second supervisor.
 */
import { attachToHost, type AttachOptions } from '../host/attach';
import { DataDirLocked } from '../host/lock';
import { openHost, type Host } from '../host/open';
import type { ShellCore } from './shell';

export interface CoreSource {
  core: ShellCore;
  /** The in-process host; undefined when attached. */
  host?: Host;
  close(): Promise<void>;
}

/** The host of this data dir, or the `sentinel run` that already is it. */
export async function hostOrAttach(
  opts: Parameters<typeof openHost>[0],
  attach: AttachOptions = {},
): Promise<CoreSource> {
  try {
    const host = await openHost(opts);
    // powerMonitor's resume reaches the health monitor at once (the host's own clock-jump check is the fallback).
    const core: ShellCore = {
      dispatch: host.dispatch,
      subscribe: host.subscribe,
      notifyWake: () => host.sentinel.notifyWake(),
    };
    return { core, host, close: () => host.close() };
  } catch (err) {
    if (!(err instanceof DataDirLocked)) throw err;
    const attached = await attachToHost(opts.dataDir, attach);
    return {
      core: { dispatch: attached.dispatch, subscribe: attached.subscribe, attached },
      close: async () => attached.close(),
    };
  }
}
