/**
 * The menu-bar journeys end to end without a Mac: the real core with real children, the real shell (tray, menu,
 * windows, IPC, login item, notifications), and its windows in real Chromium through the real preload and IPC
 * (test/app/chromium-electron.ts). Each journey is what a user does: click the icon, pick a menu item, read the
 * popover. Screenshots of the popover per colour go to test/artifacts/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { OverallStatus } from '../../src-main/shared/contract';
import { CHROMIUM_MISSING } from '../e2e/chromium';
import { freePort } from '../helpers/net';
import { tempDir } from '../helpers/tmp';
import { waitFor } from '../helpers/wait';
import { windowOptions } from '../../src-main/app/windows';
import { ARTIFACTS, BUILD_MISSING, BUILT, startApp as startHarnessApp, type App } from './app-harness';
import type { StandInWindow } from './chromium-electron';

const UI = { timeout: 15_000 };

const running: App[] = [];
const cleanups: (() => void)[] = [];

async function startApp(config: unknown): Promise<App> {
  const app = await startHarnessApp(config);
  running.push(app);
  return app;
}

afterEach(async () => {
  const errors = running.flatMap((a) => a.errors);
  for (const app of running.splice(0)) await app.close();
  for (const c of cleanups.splice(0)) c();
  expect(errors).toEqual([]);
});

/** A node HTTP server the checks can reach, and that dies when killed (restart: never keeps it down). */
function webProcess(port: number) {
  return {
    name: 'web',
    command: process.execPath,
    args: ['-e', `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1')`],
    restart: { policy: 'never', start_secs: '200ms' },
    // Rounds come from "Force check now" only (an hour apart otherwise), so the journey decides when they happen.
    checks: [{ name: 'web-http', type: 'http', url: `http://127.0.0.1:${port}/`, interval: '1h', timeout: '2s' }],
  };
}

async function webApp(settings: Record<string, unknown> = {}): Promise<App & { port: number }> {
  const port = await freePort();
  const app = await startApp({ settings: { dry_run: true, ...settings }, processes: [webProcess(port)] });
  await waitFor(() => app.sentinel.supervisor.pidOf('web'), { what: 'web to start' });
  // The first round may run before the server listens: wait for both, then force rounds until green.
  await waitFor(() => canConnect(port), { what: `web to listen on ${port}` });
  await waitFor(async () => (await snapshot(app)).services.some((s) => s.checks.length > 0), { what: 'a first round' });
  await forceUntil(app, 'green');
  return Object.assign(app, { port });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
    socket.on('error', () => resolve(false));
  });
}

/** The core's answer through the same dispatcher the windows use. */
async function snapshot(app: App): Promise<OverallStatus> {
  const r = await app.shell.dispatch('status.get', {});
  if (!r.ok) throw new Error(r.error.message);
  return (r.result as { overall: OverallStatus }).overall;
}

/** "Force check now" from the tray until the overall colour is `status` (each click is one round of every check). */
async function forceUntil(app: App, status: string, rounds = 6): Promise<string[]> {
  const seen: string[] = [];
  const trail: string[] = [];
  for (let i = 0; i < rounds && (await snapshot(app)).status !== status; i++) {
    const at = Date.now();
    app.menu('Force check now');
    // A round is done when every check has a result from after the click.
    const after = await waitFor(
      async () => {
        const o = await snapshot(app);
        const checks = o.services.flatMap((s) => s.checks);
        return checks.length > 0 && checks.every((c) => c.at >= at) ? o : null;
      },
      { what: 'a forced round' },
    );
    seen.push(after.status);
    trail.push(`${after.status} (${after.reason}; ${after.rule})`);
    // The tray follows the pushed event.
    await waitFor(() => app.overall().status === after.status, { what: `the tray to show ${after.status}` });
  }
  expect((await snapshot(app)).status, `after ${rounds} forced rounds: ${trail.join(' → ')}`).toBe(status);
  return seen;
}

async function waitForProcessGone(pid: number): Promise<void> {
  await waitFor(
    () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    },
    { what: `pid ${pid} to be gone` },
  );
}

/** Live (not zombie) processes in a process group, as `ps` lists them. */
function groupMembers(pgid: number): string[] {
  return execFileSync('ps', ['-eo', 'pid=,pgid=,stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([, g, stat]) => Number(g) === pgid && !stat!.startsWith('Z'))
    .map((f) => f.join(' '));
}

async function shot(win: StandInWindow | undefined, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await win!.page!.screenshot({ path: join(ARTIFACTS, `popover-${name}.png`) });
}

const overallOnPage = (page: Page, status: string) =>
  page
    .getByTestId('overall')
    .and(page.locator(`[data-status="${status}"]`))
    .waitFor(UI);

describe.skipIf(CHROMIUM_MISSING ?? BUILD_MISSING)(
  'menu-bar journeys in Chromium through the real preload and IPC',
  { timeout: 90_000 },
  () => {
    it('tray click opens the popover with the live status, under the CSP and the hardened window options', async () => {
      const app = await webApp();
      const errors: string[] = [];
      const page = await app.openPopover();
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      const win = app.stand.window('status')!;
      // A left click on the icon (macOS) opens the popover itself, centred under the icon; the menu is a right click.
      expect(win.position).toEqual([1200 + 11 - 200, 24 + 4]);
      expect(win.options).toMatchObject({
        width: windowOptions('status', BUILT.preload).width,
        frame: false,
        webPreferences: { sandbox: true, contextIsolation: true },
      });
      await overallOnPage(page, 'green');
      await expect.poll(() => page.getByTestId('overall-reason').innerText()).not.toBe('');
      // Over IPC, not a socket: the preload's bridge is the page's client, frozen as contextBridge leaves it.
      expect(await page.evaluate(() => typeof (window as any).sentinel?.request)).toBe('function');
      expect(await page.evaluate(() => Object.isFrozen((window as any).sentinel))).toBe(true);
      expect(
        await page.evaluate(
          () => 'WebSocket' in window && performance.getEntriesByType('resource').some((r) => r.name.startsWith('ws')),
        ),
      ).toBe(false);
      // The shell's CSP is in force: an inline script is refused.
      expect(
        await page.evaluate(() => {
          const s = document.createElement('script');
          s.textContent = 'window.__inline = 1';
          document.head.append(s);
          return (window as any).__inline ?? null;
        }),
      ).toBeNull();
      // The popover hides when it loses focus; the next click shows the same window again.
      win.blur();
      expect(win.isVisible()).toBe(false);
      await app.openPopover();
      expect(app.stand.windows.filter((w) => w.route === 'status')).toHaveLength(1);
      await shot(win, 'green');
      expect(errors.filter((e) => !/Content Security Policy/.test(e))).toEqual([]);
    });

    it('Force check now runs every check and updates the tray image and tooltip; the page button does the same', async () => {
      const app = await webApp();
      const tray = app.stand.tray;
      expect(tray.image).toMatchObject({ path: join(BUILT.assetsDir, 'trayTemplate.png'), template: true });
      expect(tray.image.isEmpty()).toBe(false);
      expect(tray.tooltip).toBe(`Sentinel: ✓ Green — ${app.overall().reason}\n${app.overall().rule}`);
      expect(tray.contextMenu.labels()).toEqual([
        `✓ Green — ${app.overall().reason}`,
        '--separator',
        'Force check now',
        '--separator',
        'Restart web',
        '--separator',
        'Status…',
        'Recent failures…',
        'Logs…',
        'Open logs folder',
        '--separator',
        'Start at login',
        '--separator',
        'Quit Sentinel',
      ]);
      // Break the service, then let Force check now discover it: nothing else runs a round for an hour.
      process.kill(app.pid('web'), 'SIGKILL');
      const before = app.overall().services[0]!.checks[0]!.at;
      app.menu('Force check now');
      await waitFor(() => app.overall().services[0]!.checks[0]!.at > before, { what: 'the forced round' });
      await waitFor(() => tray.tooltip.includes('fail_rounds'), { what: 'the tray to say why' });
      expect(tray.image.path).toMatch(/tray-(yellow|red)\.png$/);
      // The popover's own "Force check now" goes through the preload and IPC to the same handler.
      const page = await app.openPopover();
      const at = Date.now();
      await page.getByRole('button', { name: 'Force check now' }).click();
      await waitFor(() => app.overall().services[0]!.checks[0]!.at >= at, { what: 'the round the page asked for' });
      await overallOnPage(page, app.overall().status);
    });

    it('Restart <service> from the tray gives it a new pid', async () => {
      const app = await webApp();
      const before = app.pid('web');
      app.menu('Restart web');
      await waitFor(
        () => {
          const pid = app.sentinel.supervisor.pidOf('web');
          return pid !== null && pid !== before;
        },
        { what: 'a new pid for web' },
      );
      await waitForProcessGone(before);
    });

    it('a killed process turns the tray yellow then red with shape and rule, and back to the template when green', async () => {
      const app = await webApp();
      const tray = app.stand.tray;
      const page = await app.openPopover();
      await overallOnPage(page, 'green');
      const mark = tray.images.length - 1;
      process.kill(app.pid('web'), 'SIGKILL');
      const path = await forceUntil(app, 'red');
      // Hysteresis: one failed round is yellow; red needs fail_rounds (2) in a row.
      expect(path[0]).toBe('yellow');
      expect(
        tray.images.slice(mark).map((i) => i.path.split('/').pop()),
        path.join(' → '),
      ).toEqual(['trayTemplate.png', 'tray-yellow.png', 'tray-red.png']);
      expect(tray.image.template).toBe(false);
      expect(tray.tooltip).toMatch(/^Sentinel: × Red — web: .+\nfail_rounds: 2 failed rounds in a row$/);
      expect(tray.contextMenu.items[0]).toMatchObject({ label: expect.stringMatching(/^× Red — web/), enabled: false });
      // The popover follows without a reload (events over webContents.send).
      await overallOnPage(page, 'red');
      await shot(app.stand.window('status'), 'red');

      app.menu('Restart web');
      await waitFor(() => canConnect(app.port), { what: 'web restarted and listening' });
      const back = await forceUntil(app, 'green');
      // Back to green only after pass_rounds (2) good rounds: the first one says "recovering".
      expect(back[0]).toBe('yellow');
      expect(tray.tooltip).toMatch(/^Sentinel: ✓ Green/);
      expect(tray.image).toMatchObject({ path: join(BUILT.assetsDir, 'trayTemplate.png'), template: true });
      await overallOnPage(page, 'green');
      await app.stand.setDarkMode(true);
      await shot(app.stand.window('status'), 'green-dark');
    });

    it('does not flap on a check that alternates: it stays yellow, never red, never green', async () => {
      const t = tempDir('sentinel-flap-');
      cleanups.push(t.cleanup);
      const counter = join(t.dir, 'n');
      writeFileSync(counter, '0');
      // Passes on even calls, fails on odd ones.
      const script = `n=$(cat '${counter}'); echo $((n+1)) > '${counter}'; [ $((n % 2)) -eq 0 ]`;
      const app = await startApp({
        processes: [
          {
            name: 'flappy',
            command: 'sleep',
            args: ['600'],
            checks: [{ name: 'alternating', type: 'command', command: 'sh', args: ['-c', script], interval: '1h' }],
          },
        ],
      });
      await forceUntil(app, 'green');
      const page = await app.openPopover();
      const seen = await forceUntil(app, 'red', 8).catch(() => null);
      expect(seen).toBeNull();
      const colours = app.stand.tray.images.map((i) => i.path.split('/').pop());
      expect(colours).toEqual(['trayTemplate.png', 'tray-yellow.png']);
      expect(app.stand.tray.tooltip).toMatch(/^Sentinel: ! Yellow — flappy/);
      await overallOnPage(page, 'yellow');
      await shot(app.stand.window('status'), 'yellow');
    });

    it('Recent failures opens the failure window; the failure opens at its detail and Copy report fills the clipboard', async () => {
      const app = await webApp();
      process.kill(app.pid('web'), 'SIGKILL');
      await forceUntil(app, 'red');
      const failure = await waitFor(
        () =>
          app.shell
            .dispatch('failures.list', { limit: 5 })
            .then((r) => (r.ok ? (r.result as { items: { id: number }[] }).items[0] : undefined)),
        {
          what: 'the failure to be recorded',
        },
      );
      app.menu('Recent failures…');
      const win = await waitFor(() => app.stand.window('failures'));
      const page = await waitFor(() => win.page);
      expect(win.options).toMatchObject({ width: windowOptions('failures', BUILT.preload).width, frame: true });
      await page.getByTestId(`failure-${failure.id}`).waitFor(UI);
      await page.getByTestId(`failure-${failure.id}`).click();
      await page.getByRole('button', { name: 'Copy report' }).click();
      await page.getByTestId('report').waitFor(UI);
      const report = await page.getByTestId('report').inputValue();
      expect(report).toMatch(/^# /m);
      expect(report).toContain('web');
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(report);
      expect(new URL(page.url()).hash).toBe(`#/failures/${failure.id}`);
    });

    it('a popover link opens the main window at that view and hides the popover; the next link moves that window', async () => {
      const app = await webApp();
      const page = await app.openPopover();
      const popover = app.stand.window('status')!;
      await page.getByTestId('open-failures').click();
      const main = await waitFor(() => app.stand.window('failures'), { what: 'the main window at failures' });
      expect(main).not.toBe(popover);
      expect(main.options).toMatchObject({ frame: true, width: windowOptions('failures', BUILT.preload).width });
      await waitFor(() => !popover.isVisible(), { what: 'the popover to hide' });
      const mainPage = await waitFor(() => main.page);
      await mainPage.getByRole('heading', { level: 1, name: 'Failures' }).waitFor(UI);
      // The popover itself stayed on its own view: the link went to the other window.
      expect(new URL(page.url()).hash).toBe('#/status');
      await mainPage.screenshot({ path: join(ARTIFACTS, 'app-main-failures-light.png') });

      // The ⋯ menu's "Logs of web": the same main window moves to web's lines; no third window.
      await app.openPopover();
      await page.getByRole('button', { name: 'Actions for web' }).click();
      await page.getByRole('menuitem', { name: 'Logs of web' }).click();
      await waitFor(() => main.route === 'logs/web', { what: `the main window at logs/web (${main.route})` });
      await waitFor(() => !popover.isVisible(), { what: 'the popover to hide again' });
      await mainPage.getByRole('heading', { level: 1, name: 'Logs' }).waitFor(UI);
      await waitFor(async () => (await mainPage.getByTestId('log-process').inputValue()) === 'web', {
        what: "the log view filtered to web's lines",
      });
      expect(app.stand.windows.filter((w) => !w.isDestroyed())).toHaveLength(2);
      expect(new URL(page.url()).hash).toBe('#/status');
    });

    it('Start at login registers the login item, shows the approval macOS asks for, and turns off again', async () => {
      const app = await webApp();
      const item = () => app.stand.tray.contextMenu.item('start-at-login');
      expect(item()).toMatchObject({ type: 'checkbox', checked: false, label: 'Start at login' });
      app.stand.requireLoginApproval(true);
      app.menu('start-at-login');
      await waitFor(() => item().label === 'Start at login (approve in System Settings)', {
        what: 'the approval hint',
      });
      expect(item().checked).toBe(true);
      expect(app.stand.loginCalls).toEqual([{ openAtLogin: true, type: 'mainAppService' }]);
      // The windows see the OS's answer too.
      const page = await app.openPopover();
      expect(await page.evaluate(() => (window as any).sentinel.request('settings.get'))).toMatchObject({
        ok: true,
        result: { start_at_login: true, login_item_status: 'requires-approval' },
      });
      app.menu('start-at-login');
      await waitFor(() => item().label === 'Start at login', { what: 'start at login off' });
      expect(item().checked).toBe(false);
      expect(app.stand.loginCalls.at(-1)).toEqual({ openAtLogin: false, type: 'mainAppService' });
    });

    it('notifies on a colour change (not on every round), and the notification opens the failures', async () => {
      const app = await webApp();
      // Starting may have passed through yellow (the first round can run before the server listens).
      const mark = app.stand.notifications.length;
      process.kill(app.pid('web'), 'SIGKILL');
      await forceUntil(app, 'red');
      await forceUntil(app, 'red', 2).catch(() => {});
      const fresh = app.stand.notifications.slice(mark);
      expect(fresh.map((n) => n.options.title)).toEqual(['Sentinel is yellow', 'Sentinel is red']);
      expect(fresh[1]!.options.body).toMatch(/^web: /);
      fresh[1]!.emit('click');
      await waitFor(() => app.stand.window('failures'), { what: 'the failures window' });
    });

    it('after a wake (powerMonitor resume) failing checks get their grace: yellow, never red', async () => {
      const app = await webApp({ wake_grace: '1h' });
      app.stand.resume();
      process.kill(app.pid('web'), 'SIGKILL');
      const seen = await forceUntil(app, 'red', 4).catch(() => null);
      expect(seen).toBeNull();
      expect(app.overall().status).toBe('yellow');
      expect(app.stand.tray.tooltip).toMatch(/\(wake grace\)\nwake_grace: failures after a wake are not counted yet$/);
    });

    it('without a wake the same failure goes red (the grace above is the resume, not the timing)', async () => {
      const app = await webApp({ wake_grace: '1h' });
      process.kill(app.pid('web'), 'SIGKILL');
      await forceUntil(app, 'red');
    });

    it('Quit stops every child and leaves nothing behind', async () => {
      const port = await freePort();
      const app = await startApp({
        processes: [webProcess(port), { name: 'worker', command: 'sh', args: ['-c', 'sleep 600 & sleep 600'] }],
      });
      const pids = await waitFor(
        () => {
          const p = ['web', 'worker'].map((n) => app.sentinel.supervisor.pidOf(n));
          return p.every(Boolean) ? (p as number[]) : null;
        },
        { what: 'both children' },
      );
      await app.openPopover();
      app.menu('Quit Sentinel');
      expect(await app.stand.exited).toBe(0);
      for (const pid of pids) await waitForProcessGone(pid);
      // The whole process group, grandchildren included (worker's background sleep).
      for (const pid of pids)
        await waitFor(() => groupMembers(pid).length === 0, {
          what: `process group ${pid} to be empty (${groupMembers(pid).join('; ')})`,
        });
    });
  },
);
