/**
 * The real Electron, once: the built app (dist/main/electron-main.js) starts, has a tray, opens the popover with
 * the live status over IPC, supervises a process, and stops it on Quit. Run by `npm run test:electron`
 * (test/electron/run.mjs), which skips with one line where no Electron binary exists.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication } from 'playwright-core';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp';
import { waitFor } from '../helpers/wait';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = join(root, 'test', 'artifacts');
const executablePath = process.env.SENTINEL_ELECTRON;

/** What the main process answers about itself (runs there, through the test hook main.ts sets). */
type Probe = { tray: boolean; processes: { name: string; pid: number | null; state: string }[] };

describe.skipIf(!executablePath)('the real Electron app', () => {
  const tmp = tempDir('sentinel-electron-');
  let app: ElectronApplication;

  const probe = () =>
    app.evaluate(async (): Promise<Probe> => {
      const { shell } = (globalThis as any).__sentinelTest;
      const r = await shell.dispatch('processes.list', {});
      return {
        tray: !shell.tray.tray.isDestroyed(),
        processes: r.ok ? r.result.map((p: any) => ({ name: p.name, pid: p.pid, state: p.state })) : [],
      };
    });

  beforeAll(async () => {
    const dataDir = join(tmp.dir, 'data');
    mkdirSync(dataDir, { recursive: true });
    const configPath = join(tmp.dir, 'sentinel.yaml');
    writeFileSync(configPath, stringify({ processes: [{ name: 'sleeper', command: 'sleep', args: ['600'] }] }));
    app = await _electron.launch({
      executablePath,
      args: [join(root, 'dist', 'main', 'electron-main.js')],
      env: {
        ...(process.env as Record<string, string>),
        HOME: join(tmp.dir, 'home'),
        SENTINEL_CONFIG: configPath,
        SENTINEL_DATA_DIR: dataDir,
        SENTINEL_TEST_HOOKS: '1',
      },
    });
    await waitFor(() => app.evaluate(() => Boolean((globalThis as any).__sentinelTest)), {
      timeout: 30_000,
      what: 'the shell to start',
    });
  });

  afterAll(async () => {
    await app?.close().catch(() => {});
    tmp.cleanup();
  });

  it('starts with a tray and supervises the configured process', async () => {
    const p = await waitFor(async () => {
      const r = await probe();
      return r.processes.find((x) => x.name === 'sleeper' && x.state === 'running' && x.pid) ? r : null;
    });
    expect(p.tray).toBe(true);
  });

  it('opens the popover with the live status over IPC', async () => {
    const windowOpened = app.waitForEvent('window');
    await app.evaluate(() => void (globalThis as any).__sentinelTest.shell.windows.open('status'));
    const page = await windowOpened;
    await page.getByTestId('overall').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('overall').getAttribute('data-status')).not.toBe('unknown');
    expect(await page.evaluate('typeof window.sentinel?.request')).toBe('function');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'electron-popover.png') });
  });

  it('stops the process on Quit and exits', async () => {
    const { processes } = await probe();
    const pid = processes.find((x) => x.name === 'sleeper')!.pid!;
    const closed = new Promise<void>((resolve) => app.once('close', () => resolve()));
    await app.evaluate(({ app: electronApp }) => electronApp.quit());
    await closed;
    await waitFor(
      () => {
        try {
          process.kill(pid, 0);
          return false;
        } catch {
          return true;
        }
      },
      { what: `sleeper (pid ${pid}) to be stopped` },
    );
  });
});
