/**
 * The host: what both the menu-bar app and `sentinel run` (and headless `npm start`) run. In this order:
 * private data dir → the data-dir lock → the core (store, logger, config) → reconcile and start → one dispatcher →
 * the socket, HTTP/WS, /metrics and api.json. `close()` undoes it in reverse (see close.ts). The Electron shell
 * adds only tray, menu, windows and IPC on top of `dispatch` and `subscribe`.
 */
import { join } from 'node:path';
import { createDispatcher, type Dispatch } from '../api/dispatch';
import { dbPath } from '../core/config/paths';
import type { Config } from '../core/config/schema';
import { LOG_FILE } from '../core/logging';
import { createMetrics } from '../core/metrics/prometheus';
import { readOrCreateConfig, Sentinel } from '../core/sentinel';
import type { Logger } from '../core/util/logger';
import type { EventListener, EventName } from '../shared/contract';
import { closeHost } from './close';
import { lockDataDir } from './lock';
import { createPrivateFile, makeDataDirPrivate } from './private-files';
import { serve, type Served } from './serve';

export interface HostOptions {
  configPath: string | null;
  /** An already validated config (tests); wins over reading `configPath`. */
  config?: Config;
  dataDir: string;
  logger?: Logger;
  /** The built windows; default dist/renderer next to this bundle when it exists. null: serve no windows. */
  staticDir?: string | null;
}

/** The core as a shell or a transport sees it: one dispatcher and the event stream. */
export interface HostCore {
  dispatch: Dispatch;
  /** `events`: what the listener wants; without it, every event (and CPU/memory sampling stays on meanwhile). */
  subscribe(listener: EventListener, events?: readonly EventName[]): () => void;
}

export interface Host extends HostCore {
  readonly sentinel: Sentinel;
  readonly dataDir: string;
  readonly socket: string;
  /** http://127.0.0.1:<port>/ */
  readonly url: string;
  /** The windows' address with the token: what a person opens. */
  readonly windowsUrl: string;
  /** Sentinel's own log, `<dataDir>/logs/sentinel.log`. */
  readonly logFile: string;
  /** Closes everything in one order; idempotent, and safe to call from a signal handler. */
  close(): Promise<void>;
}

/** Opens the host, or throws DataDirLocked (another supervisor has the dir) / ConfigError (a bad config file). */
export async function openHost(opts: HostOptions): Promise<Host> {
  // A bad config fails before anything is created or locked (the file is read again, cheaply, by Sentinel.open).
  if (!opts.config) readOrCreateConfig(opts.configPath);
  makeDataDirPrivate(opts.dataDir);
  const lock = await lockDataDir(opts.dataDir);
  let sentinel: Sentinel | undefined;
  let served: Served | undefined;
  try {
    createPrivateFile(dbPath(opts.dataDir));
    sentinel = await Sentinel.open({
      configPath: opts.configPath,
      dataDir: opts.dataDir,
      ...(opts.config ? { config: opts.config } : {}),
      ...(opts.logger ? { logger: opts.logger } : {}),
    });
    await sentinel.start();
    const core = sentinel;
    const log = core.logger.child('api');
    const handlers = core.handlers;
    // The one dispatcher: the socket, HTTP/WS and the app's IPC all go through it.
    const dispatch = createDispatcher(handlers, (channel, err) =>
      log.error('handler failed', { channel, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
    );
    const subscribe = (l: EventListener, events?: readonly EventName[]) => core.subscribe(l, events);
    const metrics = createMetrics({
      snapshot: async () => {
        const snapshot = await handlers['status.get']({});
        const failures = await handlers['failures.list']({ limit: 1, offset: 0 });
        return { processes: snapshot.processes, overall: snapshot.overall, failuresTotal: failures.total };
      },
    });
    const { api } = core.config.settings;
    served = await serve({
      dataDir: opts.dataDir,
      dispatch,
      subscribe,
      metrics: () => metrics.render(),
      liveness: () => core.liveness(),
      api,
      staticDir: opts.staticDir,
      logger: core.logger.child('api'),
    });
    // Files created while starting (the log, the store's -wal/-shm) are made private too.
    makeDataDirPrivate(opts.dataDir);
    const parts = { served, sentinel: core, lock };
    let closing: Promise<void> | undefined;
    return {
      sentinel: core,
      dataDir: opts.dataDir,
      socket: served.socket,
      url: served.url,
      windowsUrl: served.windowsUrl,
      logFile: join(opts.dataDir, LOG_FILE),
      dispatch,
      subscribe,
      close: () => (closing ??= closeHost(parts)),
    };
  } catch (err) {
    await closeHost({ served, sentinel, lock });
    throw err;
  }
}
