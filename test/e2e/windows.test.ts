/**
 * The windows end to end, twice — over HTTP + WebSocket from the built `sentinel run` daemon, and over Electron IPC
 * through the real preload from the menu-bar app (test/e2e/surfaces.ts) — with real children (an HTTP service with a
 * check, a chatty logger, a process that fails at once, a scheduled one) and an external service without a restart
 * command; its windows in real headless Chromium, at popover size (420×600) and window size
 * (1280×800). The test kills the service and watches the popover turn red without a reload, the failure appear as
 * "1 new", Restart from the ⋯ menu bring it back, the failure's detail and report, the logs follow and search; then
 * axe-core and a sideways-scroll probe run on every view in light and dark at both sizes, and a screenshot of each
 * goes to test/artifacts/. Wrong/missing token and daemon-down states are checked with their buttons disabled.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src-main/shared/contract';
import { BUILD_MISSING, BUILT } from '../app/app-harness';
import { CLI_MISSING, Daemon, isolatedEnv } from '../helpers/cli-harness';
import { tempDir } from '../helpers/tmp';
import { waitFor } from '../helpers/wait';
import { seriousViolations, sidewaysScrollers } from './axe';
import { CHROMIUM_MISSING, launchChromium } from './chromium';
import { openSurface, TRANSPORTS, type Surface } from './surfaces';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const UI_TIMEOUT = 20_000;
const POPOVER = { width: 420, height: 600 };
const WINDOW = { width: 1280, height: 800 };
const VIEWS = ['status', 'processes', 'failures', 'logs', 'stats', 'schedules', 'settings'] as const;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

const SKIP = CLI_MISSING ?? CHROMIUM_MISSING ?? BUILD_MISSING;
describe.skipIf(SKIP).each(TRANSPORTS)('windows in Chromium over %s', (transport) => {
  const tmp = tempDir('sentinel-e2e-');
  let surface: Surface;
  let page: Page;
  let pageErrors: string[] = [];
  const api = <T>(channel: string, input: unknown = {}): Promise<T> => surface.api<T>(channel, input);
  const prefix = transport === 'ipc' ? 'ipc-' : '';
  const shot = (p: Page, name: string) => p.screenshot({ path: join(ARTIFACTS, `${prefix}${name}.png`) });
  const view = async (p: Page, route: string) => {
    await p.evaluate(`window.location.hash = '#/${route}'`);
    await p.locator('h1').first().waitFor({ timeout: UI_TIMEOUT });
  };

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
            { name: 'web-http', type: 'http', url: `http://127.0.0.1:${port}/`, interval: '1s', timeout: '900ms' },
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
        { name: 'nightly', command: '/bin/sh', args: ['-c', 'echo backup done'], schedule: { cron: '0 3 * * *' } },
      ],
      // Watched, never restartable from here: no restart command is configured.
      services: [
        {
          name: 'postgres',
          checks: [{ name: 'pg-tcp', type: 'tcp', port, interval: '2s', timeout: '1s' }],
        },
      ],
    };
    surface = await openSurface(transport, config, { dir: tmp.dir, viewport: POPOVER });
    page = surface.page;
    pageErrors = surface.errors;
    // Green needs two passing rounds: wait for the daemon first so the page test does not race the health monitor.
    await waitFor(async () => (await api<Snapshot>('status.get')).overall.status === 'green', {
      timeout: UI_TIMEOUT,
      what: 'sentinel to be green',
    });
  }, 60_000);

  afterAll(async () => {
    await surface?.close();
    tmp.cleanup();
  });

  it('opens as a popover under the CSP, drops the token from the address bar and shows green', async () => {
    await page.getByTestId('overall').and(page.locator('[data-status="green"]')).waitFor({ timeout: UI_TIMEOUT });
    expect(new URL(page.url()).searchParams.has('token')).toBe(false);
    if (transport === 'websocket')
      expect(await page.evaluate('sessionStorage.getItem("sentinel.token")')).toBe(surface.token);
    // Over IPC the page holds no token at all: the preload's bridge is its client.
    else expect(await page.evaluate('typeof window.sentinel?.request')).toBe('function');
    await page.getByTestId('process-web').and(page.locator('[data-state="running"]')).waitFor({ timeout: UI_TIMEOUT });
    // The overall line counts what it names, each with its own noun (never "services" for processes).
    expect(await page.getByTestId('overall').innerText()).toBe('All OK');
    expect(await page.getByTestId('overall-reason').innerText()).toBe('4 processes · 1 service watched');
    // A row says how long it has been up; the popover links to every larger window.
    expect(await page.getByTestId('process-web').innerText()).toMatch(/running · up \d+ s/);
    for (const r of ['processes', 'failures', 'logs', 'stats', 'schedules', 'settings'])
      expect(await page.getByTestId(`open-${r}`).count()).toBe(1);
    expect(pageErrors).toEqual([]);
    // The built page itself: scripts only by src, no inline style attributes (the CSP would refuse both).
    const html =
      transport === 'websocket'
        ? await (await fetch(`${surface.origin}/`)).text()
        : readFileSync(BUILT.rendererIndex, 'utf8');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=/);
  });

  it('offers no Restart that cannot act: a service without a restart command says why', async () => {
    await page.getByRole('button', { name: 'Actions for postgres' }).click();
    const item = page.getByRole('menuitem', { name: 'Restart postgres' });
    await item.waitFor({ timeout: UI_TIMEOUT });
    expect(await item.isDisabled()).toBe(true);
    expect(await item.getAttribute('title')).toMatch(/No restart command/);
    await page.keyboard.press('Escape');
    await expect.poll(() => item.isVisible()).toBe(false);
  });

  it('turns red without a reload when the service is killed; a failure arrives as "N new", not a shifted list', async () => {
    await view(page, 'failures');
    await page
      .locator('[data-testid="failure-list"], [data-testid="no-failures"]')
      .first()
      .waitFor({ timeout: UI_TIMEOUT });
    const rowIds = () =>
      page
        .locator('[data-testid="failure-list"] tbody tr')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')));
    const before = await rowIds();
    const web = (await api<Snapshot>('status.get')).processes.find((p) => p.name === 'web')!;
    expect(web.pid).toBeGreaterThan(0);
    process.kill(web.pid!, 'SIGKILL');
    const webRow = page.locator('[data-testid^="failure-"][data-service="web"]').first();
    if (before.length === 0) {
      // An empty list has nothing to shift: the first failure shows at once.
      await webRow.waitFor({ timeout: UI_TIMEOUT });
    } else {
      // The rows under the reader stay put; the new failure is announced and shown on request.
      await page.getByTestId('failures-new').waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByTestId('failures-new').innerText()).toMatch(/^\d+ new/);
      expect(await rowIds()).toEqual(before);
      await page.getByTestId('failures-new').click();
      await webRow.waitFor({ timeout: UI_TIMEOUT });
    }
    expect(await page.getByTestId('failure-list').innerText()).toMatch(/Outcome/);
    // Filters: another service has none; the last hour and all services show it again.
    await page.getByTestId('failure-service').selectOption('chatty');
    await page.getByTestId('no-failures').waitFor({ timeout: UI_TIMEOUT });
    await page.getByTestId('failure-range').selectOption('1h');
    await page.getByTestId('failure-service').selectOption('');
    await webRow.waitFor({ timeout: UI_TIMEOUT });
    // The popover turned red without a reload, naming what is down and the rule that said so.
    await view(page, 'status');
    await page.getByTestId('overall').and(page.locator('[data-status="red"]')).waitFor({ timeout: UI_TIMEOUT });
    // Named when few (postgres, checked on web's port, goes down with it).
    expect(await page.getByTestId('overall').innerText()).toMatch(
      /^(web is|web and postgres are|postgres and web are) down$/,
    );
    expect(await page.getByTestId('overall-reason').innerText()).toMatch(/fail_rounds/);
    // The killed process's row is red by its health, not green for having "exited".
    expect(await page.getByTestId('process-web').locator('svg.sym').getAttribute('data-tone')).toBe('red');
    await shot(page, 'popover-status-red-light');
    await page.getByTestId('popover').screenshot({ path: join(ARTIFACTS, 'readme-popover-red.png') });
    await view(page, 'failures');
  });

  it('shows a failure as its report reads and copies the Markdown report from beside the title', async () => {
    await page.locator('[data-testid^="failure-"][data-service="web"]').first().click();
    await page.getByTestId('failure-detail').waitFor({ timeout: UI_TIMEOUT });
    const text = await page.getByTestId('failure-detail').innerText();
    for (const section of ['Summary', 'Timeline', 'Diagnostics', 'Last log lines']) expect(text).toContain(section);
    // Offsets from the start, diagnostics as one-line summaries (raw output closed), the service's own lines.
    expect(await page.getByTestId('timeline').innerText()).toMatch(/\+\d/);
    expect(await page.locator('[data-testid^="diag-"]').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid^="diag-"] details[open]').count()).toBe(0);
    expect(await page.getByTestId('failure-logs').innerText()).toContain('web listening');
    // Copy report sits in the heading row, before the sections.
    const [titleY, copyY] = await Promise.all([
      page.locator('[data-testid="failure-detail"] h1').boundingBox(),
      page.getByTestId('copy-report').boundingBox(),
    ]);
    expect(Math.abs(titleY!.y - copyY!.y)).toBeLessThan(20);
    await page.getByTestId('copy-report').click();
    await page.getByTestId('report').waitFor({ timeout: UI_TIMEOUT });
    const report = await page.getByTestId('report').inputValue();
    expect(report).toMatch(/^#/m);
    expect(report).toContain('web');
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(report);
  });

  it('says plainly when a failure does not exist', async () => {
    await view(page, 'failures/99999');
    expect(await page.getByTestId('failure-error').innerText()).toMatch(/no failure #99999/i);
  });

  it('brings the service back to green with Restart from the ⋯ menu', async () => {
    await view(page, 'status');
    await page.getByRole('button', { name: 'Actions for web' }).click();
    await page.getByRole('menuitem', { name: 'Restart web' }).click();
    await page.getByTestId('process-web').and(page.locator('[data-state="running"]')).waitFor({ timeout: UI_TIMEOUT });
    await page.getByTestId('overall').and(page.locator('[data-status="green"]')).waitFor({ timeout: UI_TIMEOUT });
  });

  it('follows the newest log line, offers "Jump to latest" when scrolled up, and searches stored lines', async () => {
    await page.setViewportSize(WINDOW);
    await view(page, 'logs');
    const lines = page.getByTestId('log-line');
    await lines.first().waitFor({ timeout: UI_TIMEOUT });
    // The newest stored line now, then: the page has it (or a newer one) and its last line is inside the list's box.
    const newestStored = async () =>
      (await api<{ lines: Array<{ id: number }> }>('logs.query', { limit: 1 })).lines[0]!.id;
    // One look at the page (the virtual list re-renders between two separate queries): the line with the highest
    // id is at least `target` and lies inside the list's box.
    const newestInView = (target: number) => async () =>
      (await page.evaluate(`(() => {
        const box = document.querySelector('[data-testid="log-lines"]');
        const rows = [...document.querySelectorAll('[data-testid="log-line"]')];
        if (!box || rows.length === 0) return false;
        const last = rows.reduce((a, r) => (Number(r.dataset.id) > Number(a.dataset.id) ? r : a));
        if (Number(last.dataset.id) < ${target}) return false;
        const b = box.getBoundingClientRect(), r = last.getBoundingClientRect();
        return r.top >= b.top - 1 && r.bottom <= b.bottom + 1;
      })()`)) as boolean;
    // chatty writes every 0.3 s: after new output, the newest line is on screen without a touch.
    await waitFor(newestInView(await newestStored()), { timeout: UI_TIMEOUT, what: 'the newest line in view' });
    const later = (await newestStored()) + 3;
    await waitFor(newestInView(later), { timeout: UI_TIMEOUT, what: 'the newest line still in view after new output' });
    // stderr is a band, not red text.
    const colours = (await page.evaluate(
      `(() => { const e = document.querySelector('.logline.err .text'); return [getComputedStyle(e).color, getComputedStyle(document.body).color]; })()`,
    )) as string[];
    expect(colours[0]).toBe(colours[1]);
    await shot(page, 'window-logs-light');
    // Scrolled up: the view holds still and offers the way back.
    await page.getByTestId('log-lines').hover();
    await page.mouse.wheel(0, -3000);
    await page.getByTestId('jump-latest').waitFor({ timeout: UI_TIMEOUT });
    await page.getByTestId('jump-latest').click();
    await waitFor(newestInView(await newestStored()), {
      timeout: UI_TIMEOUT,
      what: 'the newest line after Jump to latest',
    });
    // Search runs on the server over stored lines: the very first line of chatty, long scrolled out, is found.
    await page.getByTestId('log-process').selectOption('chatty');
    await page.getByTestId('log-grep').fill('^alpha 1$');
    await waitFor(async () => (await lines.allInnerTexts()).some((t) => /alpha 1$/.test(t)), {
      timeout: UI_TIMEOUT,
      what: 'the stored first line',
    });
    await page.getByTestId('log-grep').fill('no such line anywhere');
    await page.getByTestId('log-empty').and(page.getByText('No lines match.')).waitFor({ timeout: UI_TIMEOUT });
    await page.getByTestId('log-grep').fill('');
    await page.getByTestId('log-process').selectOption('');
  }, 90_000);

  it('holds the log view still while paused and catches up on resume', async () => {
    const lines = page.getByTestId('log-line');
    await lines.first().waitFor({ timeout: UI_TIMEOUT });
    await page.getByTestId('log-pause').click();
    await expect.poll(() => page.getByTestId('log-pause').getAttribute('aria-pressed')).toBe('true');
    const held = await lines.last().getAttribute('data-id');
    await page.getByText(/\d+ new lines/).waitFor({ timeout: UI_TIMEOUT });
    expect(await lines.last().getAttribute('data-id')).toBe(held);
    await page.getByTestId('log-pause').click();
    await waitFor(async () => Number(await lines.last().getAttribute('data-id')) > Number(held), {
      timeout: UI_TIMEOUT,
      what: 'the tail after resume',
    });
  }, 60_000);

  it('runs every check on "Force check now" and stays green', async () => {
    await page.setViewportSize(POPOVER);
    await view(page, 'status');
    const clicked = Date.now();
    await page.getByRole('button', { name: 'Force check now' }).click();
    await page.getByTestId('force-check').and(page.locator(':not([disabled])')).waitFor({ timeout: UI_TIMEOUT });
    const after = await api<Snapshot>('status.get');
    const ats = after.overall.services.flatMap((s) => s.checks.map((c) => c.at));
    expect(ats.length).toBeGreaterThan(0);
    expect(Math.min(...ats)).toBeGreaterThanOrEqual(clicked - 50);
    expect(await page.getByTestId('overall').getAttribute('data-status')).toBe('green');
    expect(await page.getByTestId('action-error').count()).toBe(0);
  });

  it('draws stats with numbers, a range picker and a daily timeline', async () => {
    await page.setViewportSize(WINDOW);
    await view(page, 'stats');
    await page.getByTestId('stats-total').waitFor({ timeout: UI_TIMEOUT });
    expect(Number(await page.getByTestId('stats-total').innerText())).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="chart-hour"] svg rect.bar').count()).toBe(24);
    expect(await page.locator('[data-testid="chart-weekday"] svg rect.bar').count()).toBe(7);
    // Values on the bars, and as a table a screen reader reads.
    expect(await page.locator('[data-testid="chart-hour"] svg text.value').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="chart-weekday"] table td').allInnerTexts()).toHaveLength(7);
    expect(await page.locator('[data-testid="chart-daily"] svg rect.bar').count()).toBeGreaterThan(0);
    await page.getByRole('radio', { name: '24 h' }).click();
    await expect.poll(() => page.getByTestId('range-24h').getAttribute('aria-checked')).toBe('true');
  });

  it('lists schedules with their next run and turns one off and on', async () => {
    await view(page, 'schedules');
    const row = page.getByTestId('schedule-nightly');
    await row.waitFor({ timeout: UI_TIMEOUT });
    expect(await row.innerText()).toMatch(/in \d+/);
    const toggle = page.getByRole('switch', { name: 'Run nightly on schedule' });
    await toggle.click();
    await waitFor(async () => {
      const [s] = await api<Array<{ enabled: boolean }>>('schedules.list');
      return s!.enabled === false;
    });
    await row.getByText('disabled').waitFor({ timeout: UI_TIMEOUT });
    await toggle.click();
    await waitFor(async () => (await api<Array<{ enabled: boolean }>>('schedules.list'))[0]!.enabled);
  });

  it('changes settings through the contract and shows what only the config file sets', async () => {
    await view(page, 'settings');
    const dry = page.getByRole('switch', { name: /Dry run/ });
    await dry.click();
    await waitFor(async () => (await api<{ dry_run: boolean }>('settings.get')).dry_run === true);
    await dry.click();
    await waitFor(async () => (await api<{ dry_run: boolean }>('settings.get')).dry_run === false);
    expect(await page.getByTestId('setting-log-retention').innerText()).toMatch(/lines/);
    // Only the menu-bar app can register a login item: in a browser over WebSocket the switch says why it cannot act.
    expect(await page.getByRole('switch', { name: /Start at login/ }).isDisabled()).toBe(transport !== 'ipc');
  });

  it('asks before Stop all', async () => {
    await view(page, 'processes');
    await page.getByTestId('stop-all').click();
    const dialog = page.getByRole('dialog', { name: 'Stop all processes?' });
    await dialog.waitFor({ timeout: UI_TIMEOUT });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect((await api<Snapshot>('status.get')).processes.find((p) => p.name === 'web')!.state).toBe('running');
  });

  it('counts down to the next attempt while a process backs off, and stops it from the inspector', async () => {
    await page.getByTestId('process-flaky').click();
    await page.getByRole('button', { name: 'Start flaky', exact: true }).click();
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
    await page.getByRole('button', { name: 'Stop flaky', exact: true }).click();
    await page
      .getByTestId('process-flaky')
      .and(page.locator('[data-state="stopped"]'))
      .waitFor({ timeout: UI_TIMEOUT });
  });

  // Over IPC the link opens the app's main window instead (test/app/journeys.test.ts).
  it.skipIf(transport === 'ipc')('a popover link navigates the page itself: a browser has no app windows', async () => {
    const { origin, token } = surface as Required<Surface>;
    await view(page, 'status');
    await page.getByTestId('open-logs').click();
    await page.getByRole('heading', { level: 1, name: 'Logs' }).waitFor({ timeout: UI_TIMEOUT });
    expect(new URL(page.url()).hash).toBe('#/logs');
    // The contract's window.open is the menu-bar app's alone: the host refuses it, naming the channel.
    const r = await fetch(`${origin}/api/window.open`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ view: 'logs' }),
    });
    expect(await r.json()).toMatchObject({ ok: false, error: { code: 'not_found', field: 'channel' } });
    await view(page, 'status');
  });

  it('every view, light and dark, popover and window size: no serious axe violation, no sideways scroll', async () => {
    const problems: string[] = [];
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [sizeName, size] of [
        ['popover', POPOVER],
        ['window', WINDOW],
      ] as const) {
        await page.setViewportSize(size);
        for (const v of VIEWS) {
          await view(page, v);
          // Loaded, not "Loading…": the view has its data before it is judged.
          await waitFor(async () => (await page.getByText('Loading…').count()) === 0, {
            timeout: UI_TIMEOUT,
            what: `${v} loaded`,
          });
          for (const a of await seriousViolations(page))
            problems.push(
              `${v} ${scheme} ${sizeName}: ${a.id} (${a.impact}) ${a.help} — ${a.nodes.slice(0, 3).join(', ')}`,
            );
          if (sizeName === 'popover')
            for (const s of await sidewaysScrollers(page))
              problems.push(`${v} ${scheme} ${sizeName}: scrolls sideways: ${s}`);
          await shot(page, `${sizeName}-${v}-${scheme}`);
        }
      }
    }
    // The open ⋯ menu and the failure detail are judged too.
    await page.setViewportSize(POPOVER);
    await view(page, 'status');
    await page.getByRole('button', { name: 'Actions for web' }).click();
    await page.getByRole('menuitem', { name: 'Restart web' }).waitFor();
    for (const a of await seriousViolations(page)) problems.push(`menu: ${a.id} ${a.help} — ${a.nodes.join(', ')}`);
    await shot(page, 'popover-menu-dark');
    await page.keyboard.press('Escape');
    const id = (await api<{ items: Array<{ id: number }> }>('failures.list')).items[0]!.id;
    await view(page, `failures/${id}`);
    await page.getByTestId('failure-detail').waitFor({ timeout: UI_TIMEOUT });
    for (const a of await seriousViolations(page))
      problems.push(`failure detail: ${a.id} ${a.help} — ${a.nodes.join(', ')}`);
    for (const s of await sidewaysScrollers(page)) problems.push(`failure detail scrolls sideways: ${s}`);
    await shot(page, 'popover-failure-detail-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(problems).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  // Tokens belong to the WebSocket transport: an IPC page has none to get wrong.
  it.skipIf(transport === 'ipc')(
    'a wrong token says so, with how to get a valid link, and no empty state or live button',
    async () => {
      const { origin, token } = surface as Required<Surface>;
      const context = page.context();
      const stranger = await context.newPage();
      await stranger.setViewportSize(POPOVER);
      await stranger.goto(`${origin}/?token=${'x'.repeat(token.length)}#/status`);
      const banner = stranger.getByTestId('disconnected').and(stranger.locator('[data-state="unauthorized"]'));
      await banner.waitFor({ timeout: UI_TIMEOUT });
      expect(await banner.innerText()).toMatch(/token was refused[\s\S]*sentinel run --headless/);
      expect(await stranger.getByTestId('force-check').isDisabled()).toBe(true);
      expect(await stranger.getByText(/No supervised processes/).count()).toBe(0);
      await view(stranger, 'failures');
      expect(await stranger.getByText(/No failures recorded/).count()).toBe(0);
      await shot(stranger, 'popover-wrong-token-light');
      await stranger.close();
      // No token at all (a new tab has its own empty sessionStorage).
      const bare = await context.newPage();
      await bare.goto(`${origin}/#/processes`);
      await bare
        .getByTestId('disconnected')
        .and(bare.locator('[data-state="unauthorized"]'))
        .waitFor({ timeout: UI_TIMEOUT });
      expect(await bare.getByTestId('disconnected').innerText()).toMatch(/no access token/);
      expect(await bare.getByTestId('stop-all').isDisabled()).toBe(true);
      await bare.close();
    },
  );
});

/**
 * Daemon down and back: a window open on a data dir survives `sentinel run` restarting on it. The config names no
 * API port and no token: the host picks them on the first start and keeps them in the data dir's endpoint.json
 * (0600), so the second start serves the same address and the same open page reconnects by itself.
 */
describe.skipIf(CLI_MISSING ?? CHROMIUM_MISSING)('a window across a daemon restart', () => {
  const tmp = tempDir('sentinel-e2e-restart-');
  let browser: Browser;
  let daemon: Daemon | undefined;
  const dataDir = join(tmp.dir, 'data');
  const args = () => ['--headless', '--config', join(tmp.dir, 'sentinel.yaml'), '--data-dir', dataDir];
  const env = () => isolatedEnv(join(tmp.dir, 'home'));
  const printedUrl = (line: string) => /windows at (\S+)/.exec(line)![1]!;

  afterAll(async () => {
    await browser?.close();
    if (daemon && daemon.child.exitCode === null) await daemon.kill('SIGTERM');
    tmp.cleanup();
  });

  it('dims, stops its clocks, disables every action, says when it last updated, and reconnects by itself', async () => {
    writeFileSync(
      join(tmp.dir, 'sentinel.yaml'),
      stringify({
        processes: [{ name: 'sleeper', command: '/bin/sh', args: ['-c', 'while true; do sleep 1; done'] }],
      }),
    );
    daemon = new Daemon(args(), env());
    const url = printedUrl(await daemon.ready());
    // What the host stored is what it printed, private to the user.
    const endpointFile = join(dataDir, 'endpoint.json');
    const stored = JSON.parse(readFileSync(endpointFile, 'utf8')) as { port: number; token: string };
    expect(statSync(endpointFile).mode & 0o777).toBe(0o600);
    expect(url).toBe(`http://127.0.0.1:${stored.port}/?token=${encodeURIComponent(stored.token)}`);
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: POPOVER });
    await page.goto(url);
    const row = page.getByTestId('process-sleeper');
    await row.and(page.locator('[data-state="running"]')).waitFor({ timeout: UI_TIMEOUT });
    await page.getByText(/up [1-9]\d* s/).waitFor({ timeout: UI_TIMEOUT });
    const firstPid = await api<number | null>(url, 'sleeper');

    await daemon.kill('SIGTERM');
    const banner = page.getByTestId('disconnected').and(page.locator('[data-state="down"]'));
    await banner.waitFor({ timeout: UI_TIMEOUT });
    expect(await banner.innerText()).toMatch(/Last updated \d{1,2}:\d{2}:\d{2}/);
    expect(await page.getByTestId('force-check').isDisabled()).toBe(true);
    expect(await page.locator('main.stale').count()).toBe(1);
    await page.getByRole('button', { name: 'Actions for sleeper' }).click();
    expect(await page.getByRole('menuitem', { name: 'Restart sleeper' }).isDisabled()).toBe(true);
    await page.keyboard.press('Escape');
    // Clocks stopped: the uptime does not move while the daemon is gone (read twice, 1.5 clock ticks apart).
    const frozen = await row.innerText();
    await page.waitForFunction((start) => Date.now() - start > 1500, Date.now(), { polling: 100 });
    expect(await row.innerText()).toBe(frozen);
    await shot(page, 'popover-daemon-down-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'popover-daemon-down-dark');
    await page.setViewportSize(WINDOW);
    await shot(page, 'window-daemon-down-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await shot(page, 'window-daemon-down-light');
    for (const a of await seriousViolations(page))
      expect.fail(`daemon down: ${a.id} ${a.help} — ${a.nodes.join(', ')}`);
    await page.setViewportSize(POPOVER);

    // The same data dir, nothing pinned: the host serves the address it stored, and the page finds it again.
    daemon = new Daemon(args(), env());
    expect(printedUrl(await daemon.ready())).toBe(url);
    await banner.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    expect(await page.getByTestId('force-check').isDisabled()).toBe(false);
    expect(await page.locator('main.stale').count()).toBe(0);
    // Live data from the new daemon: its own sleeper (a new pid), whose uptime the page counts again.
    const secondPid = await waitFor(() => api<number | null>(url, 'sleeper'), { what: 'the new sleeper' });
    expect(secondPid).not.toBe(firstPid);
    await row.and(page.locator('[data-state="running"]')).waitFor({ timeout: UI_TIMEOUT });
    const live = await waitFor(async () => ((await row.innerText()) !== frozen ? row.innerText() : null), {
      timeout: UI_TIMEOUT,
      what: 'the row to show the new daemon',
    });
    await waitFor(async () => (await row.innerText()) !== live, {
      timeout: UI_TIMEOUT,
      what: 'the uptime to count again',
    });
    expect(statSync(endpointFile).mode & 0o777).toBe(0o600);
  }, 90_000);

  /** The pid of a process, from the API at the page's own address and token. */
  async function api<T>(pageUrl: string, name: string): Promise<T> {
    const u = new URL(pageUrl);
    const r = await fetch(`${u.origin}/api/processes.list`, {
      method: 'POST',
      headers: { authorization: `Bearer ${u.searchParams.get('token')}`, 'content-type': 'application/json' },
      body: '{}',
    });
    const body = (await r.json()) as { result: { name: string; pid: number | null }[] };
    return (body.result.find((p) => p.name === name)?.pid ?? null) as T;
  }

  const shot = (p: Page, name: string) => p.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
});
