/**
 * The Electron entry (dist/main/electron-main.js): one instance, no Dock icon, the shell around a core. The core
 * is the host (host/open.ts: the same one `sentinel run` runs, with its socket, HTTP/WS, /metrics and api.json) —
 * or, when a `sentinel run` already holds the data dir, that daemon over its socket (host/attach.ts), said in the
 * tooltip, until that daemon is gone for good and the app takes over (app/core-source.ts). Quitting closes the host
 * (every child stopped first); an attached app just disconnects.
 */
import * as electron from 'electron';
import log from 'electron-log/main';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolvePaths } from '../core/config/paths';
import { preferInterpreter } from '../host/interpreter-only';
import { hostOrAttach } from './core-source';
import { serviceConflict } from './login-item';
import { startShell } from './shell';

const { app } = electron;
/** dist/main, where this bundle and the preload live (an ES module has no __dirname). */
const here = dirname(fileURLToPath(import.meta.url));

async function main(): Promise<void> {
  await preferInterpreter();
  log.initialize();
  const paths = resolvePaths({ env: process.env });
  const loginConflict = serviceConflict({
    platform: process.platform,
    home: homedir(),
    dataDir: paths.dataDir,
    env: process.env,
    exists: existsSync,
  });
  // A `sentinel service` restarts its own daemon: the app never takes the data dir from under its manager.
  const { core, close } = await hostOrAttach(
    paths,
    {},
    { allowed: () => loginConflict() === null, onNote: (message) => log.info(message) },
  );
  // Built layout: dist/main/electron-main.js, dist/main/preload.cjs, dist/renderer/index.html, assets/ beside dist/.
  const root = join(here, '..', '..');
  const shell = await startShell({
    electron,
    core,
    platform: process.platform,
    assetsDir: join(root, 'assets'),
    preload: join(here, 'preload.cjs'),
    rendererIndex: join(root, 'dist', 'renderer', 'index.html'),
    logsDir: join(paths.dataDir, 'logs'),
    loginConflict,
    onError: (message, err) => log.error(message, err),
  });
  // `npm run test:electron` drives the running app through this handle; the variable is never set otherwise.
  if (process.env.SENTINEL_TEST_HOOKS === '1') Object.assign(globalThis, { __sentinelTest: { shell } });
  app.on('second-instance', () => shell.windows.open('status'));
  // A menu-bar app lives on when its windows close.
  app.on('window-all-closed', () => {});
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    shell.dispose();
    void close().finally(() => app.exit(0));
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.dock?.hide();
  app
    .whenReady()
    .then(main)
    .catch((err: unknown) => {
      log.error('Sentinel could not start', err);
      app.exit(1);
    });
}
