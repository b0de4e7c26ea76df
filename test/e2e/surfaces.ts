/**
 * The two ways the windows reach Sentinel, for the same e2e checks: over HTTP + WebSocket from the built
 * `sentinel run` daemon (headless), and over Electron IPC through the real preload from the menu-bar app
 * (composed on the Chromium-backed stand-in). Each opens one page on the status route and an `api` for the test.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { stringify } from 'yaml';
import { startApp } from '../app/app-harness';
import { Daemon, isolatedEnv } from '../helpers/cli-harness';
import { launchChromium } from './chromium';

export type Transport = 'websocket' | 'ipc';
export const TRANSPORTS: Transport[] = ['websocket', 'ipc'];

export interface Surface {
  transport: Transport;
  page: Page;
  /** A request through the same dispatcher the page uses (throws on a refusal). */
  api<T>(channel: string, input?: unknown): Promise<T>;
  /** WebSocket only: the daemon's origin and token (the IPC page has neither). */
  origin?: string;
  token?: string;
  /** Page errors and console errors (a CSP violation is one) since the page opened. */
  errors: string[];
  close(): Promise<void>;
}

export function openSurface(
  transport: Transport,
  config: unknown,
  opts: { dir: string; viewport: { width: number; height: number } },
): Promise<Surface> {
  return transport === 'ipc' ? overIpc(config, opts.viewport) : overWebSocket(config, opts);
}

async function overWebSocket(
  config: unknown,
  { dir, viewport }: { dir: string; viewport: { width: number; height: number } },
): Promise<Surface> {
  const configFile = join(dir, 'sentinel.yaml');
  writeFileSync(configFile, stringify(config));
  const daemon = new Daemon(
    ['--headless', '--config', configFile, '--data-dir', join(dir, 'data')],
    isolatedEnv(join(dir, 'home')),
  );
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    if (daemon.child.exitCode === null) await daemon.kill('SIGTERM');
  };
  try {
    const line = await daemon.ready();
    const windowsUrl = /windows at (\S+)/.exec(line)?.[1];
    if (!windowsUrl) throw new Error(`no windows URL in: ${line}`);
    const url = new URL(windowsUrl);
    const origin = url.origin;
    const token = url.searchParams.get('token')!;
    browser = await launchChromium();
    const context = await browser.newContext({ viewport });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    const page = await context.newPage();
    const api = async <T>(channel: string, input: unknown = {}): Promise<T> => {
      const r = await fetch(`${origin}/api/${channel}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(input),
      });
      const body = (await r.json()) as { ok: boolean; result: T };
      if (!body.ok) throw new Error(`${channel}: ${JSON.stringify(body)}`);
      return body.result;
    };
    const errors = collectErrors(page);
    await page.goto(windowsUrl);
    return { transport: 'websocket', page, api, origin, token, errors, close };
  } catch (err) {
    await close();
    throw err;
  }
}

async function overIpc(config: unknown, viewport: { width: number; height: number }): Promise<Surface> {
  const app = await startApp(config);
  try {
    // A window as the shell opens it (loadFile of the built renderer, the shell's CSP, the real preload), at the
    // same size as the WebSocket run so both see the same layout.
    const win = app.shell.windows.open('status') as unknown as { pageReady: Promise<Page> };
    const page = await win.pageReady;
    const errors = collectErrors(page);
    await page.setViewportSize(viewport);
    const api = async <T>(channel: string, input: unknown = {}): Promise<T> => {
      const r = await app.shell.dispatch(channel, input);
      if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r)}`);
      return r.result as T;
    };
    return { transport: 'ipc', page, api, errors, close: () => app.close() };
  } catch (err) {
    await app.close();
    throw err;
  }
}

function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  return errors;
}
