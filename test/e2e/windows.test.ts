/**
 * The windows end to end, twice: over HTTP + WebSocket from the built `sentinel run` daemon, and over Electron IPC
 * through the real preload from the menu-bar app (test/e2e/surfaces.ts), each with a real child service (a node
 * HTTP server with an HTTP check) and its windows in real headless Chromium. The test kills the service and
 * watches the page turn red without a reload, a failure appear, "Restart" bring it back, the failure's detail and
 * report, and the logs filter. Screenshots of each window go to test/artifacts/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src-main/shared/contract';
import { ARTIFACTS, BUILD_MISSING, BUILT } from '../app/app-harness';
import { CLI_MISSING } from '../daemon/cli-harness';
import { freePort } from '../helpers/net';
import { tempDir } from '../helpers/tmp';
import { waitFor } from '../helpers/wait';
import { CHROMIUM_MISSING } from './chromium';
import { openSurface, TRANSPORTS, type Surface } from './surfaces';

const UI_TIMEOUT = 20_000;

const SKIP = CLI_MISSING ?? CHROMIUM_MISSING ?? BUILD_MISSING;
describe.skipIf(SKIP).each(TRANSPORTS)('windows in Chromium over %s', (transport) => {
  const tmp = tempDir('sentinel-e2e-');
  let surface: Surface;
  let page: Page;
  let pageErrors: string[] = [];
  const api = <T>(channel: string, input: unknown = {}): Promise<T> => surface.api<T>(channel, input);
  const prefix = transport === 'ipc' ? 'ipc-' : '';
  const shot = (name: string) =>
    page.screenshot({ path: join(ARTIFACTS, `window-${prefix}${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const port = await freePort();
    const server = `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1', () => console.log('web listening on ${port}'));`;
    const config = {
      processes: [
        {
          name: 'web',
          command: process.execPath,
          args: ['-e', server],
          // A killed service stays down until someone presses Restart: the window is what brings it back.
          restart: { policy: 'never', start_secs: '200ms' },
          checks: [
            { name: 'web-http', type: 'http', url: `http://127.0.0.1:${port}/`, interval: '500ms', timeout: '1s' },
          ],
        },
        // Started from the window at the end: fails at once and waits a long backoff, for the countdown.
        {
          name: 'flaky',
          command: '/bin/sh',
          args: ['-c', 'exit 3'],
          autostart: false,
          restart: { delay: '30s', start_secs: '500ms' },
        },
        {
          name: 'chatty',
          command: '/bin/sh',
          args: ['-c', 'i=0; while true; do i=$((i+1)); echo "alpha $i"; echo "beta $i" >&2; sleep 0.3; done'],
        },
      ],
    };
    surface = await openSurface(transport, config, { dir: tmp.dir, viewport: { width: 900, height: 700 } });
    page = surface.page;
    pageErrors = surface.errors;
    // Green needs two passing rounds: wait for the core first so the page test does not race the health monitor.
    await waitFor(async () => (await api<Snapshot>('status.get')).overall.status === 'green', {
      timeout: UI_TIMEOUT,
      what: 'sentinel to be green',
    });
  }, 60_000);

  afterAll(async () => {
    await surface?.close();
    tmp.cleanup();
  });

  it('loads under the CSP, keeps no token in the address bar and shows green', async () => {
    await page.getByTestId('overall').and(page.locator('[data-status="green"]')).waitFor({ timeout: UI_TIMEOUT });
    expect(new URL(page.url()).searchParams.has('token')).toBe(false);
    if (transport === 'websocket')
      expect(await page.evaluate('sessionStorage.getItem("sentinel.token")')).toBe(surface.token);
    // Over IPC the page holds no token at all: the preload's bridge is its client.
    else expect(await page.evaluate('typeof window.sentinel?.request')).toBe('function');
    await page.getByTestId('process-web').and(page.locator('[data-state="running"]')).waitFor({ timeout: UI_TIMEOUT });
    await shot('status-green');
    expect(pageErrors).toEqual([]);
    // The built page itself: scripts only by src, no inline style attributes (the CSP would refuse both).
    const html =
      transport === 'websocket'
        ? await (await fetch(`${surface.origin}/`)).text()
        : readFileSync(BUILT.rendererIndex, 'utf8');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=/);
  });

  it('turns red without a reload when the service is killed, and the failure is in the history', async () => {
    const web = (await api<Snapshot>('status.get')).processes.find((p) => p.name === 'web')!;
    expect(web.pid).toBeGreaterThan(0);
    process.kill(web.pid!, 'SIGKILL');
    await page.getByTestId('overall').and(page.locator('[data-status="red"]')).waitFor({ timeout: UI_TIMEOUT });
    await shot('status-red');
    await page.getByTestId('nav-failures').click();
    await page.locator('[data-testid^="failure-"][data-service="web"]').first().waitFor({ timeout: UI_TIMEOUT });
    await shot('failures');
    // Filters: another service has none; the last hour and all services show it again.
    await page.getByTestId('failure-service').selectOption('chatty');
    await page.getByTestId('no-failures').waitFor({ timeout: UI_TIMEOUT });
    await page.getByTestId('failure-range').selectOption('1h');
    await page.getByTestId('failure-service').selectOption('');
    await page.locator('[data-testid^="failure-"][data-service="web"]').first().waitFor({ timeout: UI_TIMEOUT });
  });

  it('shows a failure with diagnostics and copies its Markdown report', async () => {
    await page.locator('[data-testid^="failure-"][data-service="web"] button').first().click();
    await page.getByTestId('failure-detail').waitFor({ timeout: UI_TIMEOUT });
    const detailText = await page.getByTestId('failure-detail').innerText();
    expect(detailText).toContain('web');
    expect(await page.locator('[data-testid^="diag-"]').count()).toBeGreaterThan(0);
    await page.getByTestId('copy-report').click();
    await page.getByTestId('report').waitFor({ timeout: UI_TIMEOUT });
    const report = await page.getByTestId('report').inputValue();
    expect(report).toMatch(/^#/m);
    expect(report).toContain('web');
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(report);
    await shot('failure-detail');
  });

  it('brings the service back to green with Restart from the window', async () => {
    await page.getByTestId('nav-status').click();
    await page.getByTestId('restart-web').click();
    await page.getByTestId('process-web').and(page.locator('[data-state="running"]')).waitFor({ timeout: UI_TIMEOUT });
    await page.getByTestId('overall').and(page.locator('[data-status="green"]')).waitFor({ timeout: UI_TIMEOUT });
    await shot('status-recovered');
  });

  it('tails the logs live and filters by process and regex', async () => {
    await page.getByTestId('nav-logs').click();
    await page.getByTestId('log-process').selectOption('chatty');
    await page.getByTestId('log-grep').fill('^beta');
    const lines = page.getByTestId('log-line');
    await lines.first().waitFor({ timeout: UI_TIMEOUT });
    const before = await lines.count();
    // Live: new lines arrive through logs.appended pushes, without a reload.
    await waitFor(async () => (await lines.count()) > before, { timeout: UI_TIMEOUT, what: 'new pushed log lines' });
    const texts = await lines.allInnerTexts();
    expect(texts.every((t) => t.includes('[chatty] beta'))).toBe(true);
    await shot('logs');
  });

  it('holds the log view still while paused and catches up on resume', async () => {
    const lines = page.getByTestId('log-line');
    await page.getByTestId('log-pause').click();
    await expect.poll(() => page.getByTestId('log-pause').getAttribute('aria-pressed')).toBe('true');
    const held = await lines.allInnerTexts();
    // Pushed lines keep coming (chatty writes every 0.3 s) and are counted, not shown.
    await page.getByText(/\d+ new lines/).waitFor({ timeout: UI_TIMEOUT });
    expect(await lines.allInnerTexts()).toEqual(held);
    await page.getByTestId('log-pause').click();
    await waitFor(async () => (await lines.count()) > held.length, {
      timeout: UI_TIMEOUT,
      what: 'the tail after resume',
    });
  });

  it('runs every check on "Force check now" and stays green', async () => {
    await page.getByTestId('nav-status').click();
    const clicked = Date.now();
    await page.getByTestId('force-check').click();
    await page.getByTestId('force-check').and(page.locator(':not([disabled])')).waitFor({ timeout: UI_TIMEOUT });
    // Every check result the status shows is from after the click.
    const after = await api<Snapshot>('status.get');
    const ats = after.overall.services.flatMap((s) => s.checks.map((c) => c.at));
    expect(ats.length).toBeGreaterThan(0);
    expect(Math.min(...ats)).toBeGreaterThanOrEqual(clicked - 50);
    expect(await page.getByTestId('overall').getAttribute('data-status')).toBe('green');
    expect(await page.getByTestId('action-error').count()).toBe(0);
  });

  it.skipIf(transport === 'ipc')('says it is not connected when opened without the token', async () => {
    // A new tab has its own (empty) sessionStorage: no token.
    const stranger = await page.context().newPage();
    await stranger.goto(`${surface.origin}/#/status`);
    await stranger.getByTestId('disconnected').waitFor({ timeout: UI_TIMEOUT });
    expect(await stranger.getByTestId('overall').getAttribute('data-status')).toBe('unknown');
    await stranger.close();
  });

  it('draws the stats and the processes table', async () => {
    await page.getByTestId('nav-stats').click();
    await page.getByTestId('stats-total').waitFor({ timeout: UI_TIMEOUT });
    expect(Number(await page.getByTestId('stats-total').innerText())).toBeGreaterThan(0);
    expect(await page.locator('svg rect.bar').count()).toBe(24 + 7);
    await shot('stats');
    await page.getByTestId('nav-processes').click();
    await page.getByTestId('process-chatty').waitFor({ timeout: UI_TIMEOUT });
    await shot('processes');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByTestId('nav-status').click();
    await shot('status-dark');
    expect(pageErrors).toEqual([]);
  });

  it('counts down to the next attempt while a process backs off, and stops it from the window', async () => {
    await page.getByTestId('nav-processes').click();
    await page.getByTestId('start-flaky').click();
    await page
      .getByTestId('process-flaky')
      .and(page.locator('[data-state="backoff"]'))
      .waitFor({ timeout: UI_TIMEOUT });
    const countdown = page.getByTestId('countdown-flaky');
    await expect.poll(() => countdown.innerText(), { timeout: UI_TIMEOUT }).toMatch(/next attempt in (2\d|30) s/);
    const first = Number(/(\d+) s/.exec(await countdown.innerText())![1]);
    await expect
      .poll(async () => Number(/(\d+) s/.exec(await countdown.innerText())![1]), { timeout: UI_TIMEOUT })
      .toBeLessThan(first);
    await shot('processes-backoff');
    await page.getByTestId('stop-flaky').click();
    await page
      .getByTestId('process-flaky')
      .and(page.locator('[data-state="stopped"]'))
      .waitFor({ timeout: UI_TIMEOUT });
  });
});
