/**
 * The menu-bar app as a test starts it: composed as src-main/app/main.ts composes it (hostOrAttach → the host of
 * the data dir, the shell around its core, Quit closes the host and so stops every child), on the Chromium-backed
 * Electron stand-in. The journeys and the windows e2e over IPC
 * both start it from here, so the composition is written once.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { startShell, type Shell } from '../../src-main/app/shell';
import type { OverallStatus } from '../../src-main/shared/contract';
import { ConfigSchema } from '../../src-main/core/config/schema';
import type { Sentinel } from '../../src-main/core/sentinel';
import { hostOrAttach } from '../../src-main/app/core-source';
import { silentLogger } from '../../src-main/core/util/logger';
import { tempDir } from '../helpers/tmp';
import { waitFor } from '../helpers/wait';
import { launchChromiumElectron, type ChromiumElectron } from './chromium-electron';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const BUILT = {
  preload: join(root, 'dist', 'main', 'preload.cjs'),
  rendererIndex: join(root, 'dist', 'renderer', 'index.html'),
  assetsDir: join(root, 'assets'),
};
export const ARTIFACTS = join(root, 'test', 'artifacts');
export const BUILD_MISSING = [BUILT.preload, BUILT.rendererIndex].every(existsSync)
  ? undefined
  : 'the built preload and renderer are missing: npm run build';

/** One running app: the core, the shell around it, the stand-in Electron, and the page helpers. */
export interface App {
  stand: ChromiumElectron;
  sentinel: Sentinel;
  shell: Shell;
  dir: string;
  pid(name: string): number;
  /** Picks a tray menu item by label, as a user does (the menu is rebuilt on every change: read it fresh). */
  menu(label: string | RegExp): void;
  /** Clicks the tray icon and opens the popover (from the menu that click shows, while there is no click handler). */
  openPopover(): Promise<Page>;
  overall(): OverallStatus;
  /** What the shell reported through onError (a failed menu action): every journey ends with none. */
  errors: string[];
  /** Stops the core (every child) and the browser, removes the temp dir. Idempotent. */
  close(): Promise<void>;
}

export async function startApp(config: unknown): Promise<App> {
  const t = tempDir('sentinel-app-');
  const stand = await launchChromiumElectron();
  const errors: string[] = [];
  // The core as app/main.ts gets it: the host (lock, core, one dispatcher, socket, HTTP/WS) for this data dir.
  const source = await hostOrAttach({
    configPath: null,
    config: ConfigSchema.parse(config),
    dataDir: join(t.dir, 'data'),
    logger: silentLogger,
    staticDir: null,
  });
  const sentinel = source.host!.sentinel;
  const shell = await startShell({
    electron: stand.electron,
    core: source.core,
    platform: 'darwin',
    ...BUILT,
    logsDir: join(t.dir, 'data', 'logs'),
    onError: (message, err) => errors.push(`${message}: ${String(err)}`),
  });
  // Quit, as app/main.ts handles it: stop every child first, then exit.
  let quitting = false;
  stand.electron.app.on('before-quit', (event: { preventDefault(): void }) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    shell.dispose();
    void source.close().finally(() => stand.electron.app.exit(0));
  });
  let closed: Promise<void> | null = null;
  return {
    stand,
    sentinel,
    shell,
    dir: t.dir,
    pid: (name) => {
      const pid = sentinel.supervisor.pidOf(name);
      if (!pid) throw new Error(`${name} has no pid`);
      return pid;
    },
    menu: (label) => stand.tray.contextMenu.click(label),
    async openPopover() {
      stand.tray.click();
      if (!stand.window('status')?.isVisible()) {
        if (stand.tray.menuOpened === 0) throw new Error('a tray click showed neither the popover nor the menu');
        stand.tray.contextMenu.click('Status…');
      }
      const page = await waitFor(() => stand.window('status')?.page, { timeout: 20_000, what: 'the popover' });
      await waitFor(() => stand.window('status')!.isVisible(), { timeout: 20_000, what: 'the popover to show' });
      return page;
    },
    overall: () => shell.state.overall,
    errors,
    close: () =>
      (closed ??= (async () => {
        shell.dispose();
        await source.close();
        await stand.close();
        t.cleanup();
      })()),
  };
}
