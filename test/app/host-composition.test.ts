/**
 * The menu-bar app composed as app/main.ts composes it — hostOrAttach + startShell over the fake Electron API —
 * on the real host: while the "app" runs, the real CLI answers, /metrics scrapes with the token, and a second app
 * or a `sentinel run` daemon refuses to supervise twice (the second app attaches over the socket instead).
 */
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src-main/shared/contract';
import { hostOrAttach, type CoreSource, type TakeoverOptions } from '../../src-main/app/core-source';
import { startShell, type Shell } from '../../src-main/app/shell';
import { silentLogger } from '../../src-main/core/util/logger';
import { killMarked, MARK_VAR } from '../../bench/lib/procfs';
import { cli, CLI_MISSING, Daemon, isolatedEnv } from '../helpers/cli-harness';
import { tempDir } from '../helpers/tmp';
import { waitFor } from '../helpers/wait';
import { fakeElectron, type FakeTray } from './fake-electron';

const mark = `host-composition-${process.pid}`;
const config = { processes: [{ name: 'web', command: 'sleep', args: ['300'], env: { [MARK_VAR]: mark } }] };

let tmp: ReturnType<typeof tempDir>;
let dataDir: string;
let configPath: string;
const opened: Array<{ source: CoreSource; shell: Shell }> = [];

async function app(takeover: TakeoverOptions = {}): Promise<{ source: CoreSource; shell: Shell; tray: FakeTray }> {
  const source = await hostOrAttach(
    { configPath, dataDir, logger: silentLogger, staticDir: null },
    { connectTimeoutMs: 20_000, retryMs: 100 },
    takeover,
  );
  const shell = await startShell({
    electron: fakeElectron().electron,
    core: source.core,
    platform: 'darwin',
    assetsDir: '/app/assets',
    preload: '/app/dist/main/preload.cjs',
    rendererIndex: '/app/dist/renderer/index.html',
    logsDir: join(dataDir, 'logs'),
  });
  opened.push({ source, shell });
  return { source, shell, tray: shell.tray.tray as unknown as FakeTray };
}

const click = (tray: FakeTray, label: string) => {
  const item = tray.menu.find((i) => i.label === label);
  if (!item) throw new Error(`no menu item "${label}" in ${tray.menu.map((i) => i.label).join(', ')}`);
  (item.click as () => void)();
};

/** `web` as the app sees it through the shell's dispatcher, once it runs. */
async function webOf(shell: Shell) {
  const r = await shell.dispatch('processes.list', {});
  if (!r.ok) return undefined;
  const web = (r.result as Array<{ name: string; state: string; pid: number | null }>).find((p) => p.name === 'web');
  return web?.state === 'running' ? web : undefined;
}

/** A `sentinel run` started again on the data dir: the app attaches to it (the tooltip names its pid). */
async function attachesToRestartedDaemon(tray: FakeTray, env: NodeJS.ProcessEnv): Promise<void> {
  const again = new Daemon(['--config', configPath, '--data-dir', dataDir], env);
  try {
    await again.ready();
    await waitFor(() => tray.tooltip.includes(`attached to sentinel run (pid ${again.child.pid})`), {
      what: 'the app to attach to the restarted daemon',
      timeout: 20_000,
    });
  } finally {
    await again.kill('SIGTERM');
  }
}

beforeEach(() => {
  tmp = tempDir('sentinel-app-host-');
  dataDir = join(tmp.dir, 'data');
  configPath = join(tmp.dir, 'sentinel.yaml');
  writeFileSync(configPath, stringify(config));
});

afterEach(async () => {
  // The attached ones first: closing the host ends their connection.
  for (const { source, shell } of opened.splice(0).reverse()) {
    shell.dispose();
    await source.close();
  }
  killMarked(mark);
  tmp.cleanup();
});

describe.skipIf(CLI_MISSING)('the app over the real host', () => {
  it('serves the CLI and /metrics while it runs, and a second app attaches instead of supervising twice', async () => {
    const first = await app();
    expect(first.source.host).toBeDefined();
    expect(first.tray.tooltip).not.toMatch(/attached/);

    // The real CLI, as another process, through the host's socket.
    const env = isolatedEnv(join(tmp.dir, 'home'));
    const status = await cli(['status', '--json', '--data-dir', dataDir], env);
    expect(status.code, status.stderr).toBe(0);
    const snapshot = JSON.parse(status.stdout) as Snapshot;
    expect(snapshot.processes.map((p) => p.name)).toEqual(['web']);

    // Prometheus: the token is required.
    const host = first.source.host!;
    const token = new URL(host.windowsUrl).searchParams.get('token')!;
    expect((await fetch(new URL('metrics', host.url))).status).toBe(401);
    const scrape = () => fetch(new URL('metrics', host.url), { headers: { authorization: `Bearer ${token}` } });
    expect((await scrape()).status).toBe(200);
    // web may still be starting on a loaded machine: the scrape follows the live state.
    await waitFor(async () => /sentinel_process_up\{process="web"[^}]*\} 1/.test(await (await scrape()).text()), {
      timeout: 20_000,
      what: 'web up in /metrics',
    });

    // A second app on the same data dir: attached, said in the tooltip, and its menu acts on the first's child.
    const second = await app();
    expect(second.source.host).toBeUndefined();
    expect(second.tray.tooltip).toMatch(new RegExp(`attached to sentinel run \\(pid ${process.pid}\\)`));
    const before = host.sentinel.supervisor.pidOf('web');
    click(second.tray, 'Restart web');
    await waitFor(
      () => {
        const pid = host.sentinel.supervisor.pidOf('web');
        return pid !== null && pid !== before;
      },
      { what: 'web restarted through the attached app', timeout: 20_000 },
    );
    // The attached tray follows the host's events.
    await waitFor(
      () => second.shell.state.processes.find((p) => p.name === 'web')?.pid === host.sentinel.supervisor.pidOf('web'),
      {
        what: 'the attached menu state to follow the restart',
      },
    );

    // A daemon on the same data dir refuses, naming the app's pid.
    const daemon = new Daemon(['--config', configPath, '--data-dir', dataDir], env);
    await waitFor(() => daemon.child.exitCode !== null, { timeout: 30_000, what: 'the second supervisor to exit' });
    expect(daemon.child.exitCode).toBe(1);
    expect(daemon.output).toContain(`another sentinel (pid ${process.pid}) is already running on ${dataDir}`);
  }, 120_000);

  it('attaches to a running `sentinel run`, and follows it across a restart of the daemon', async () => {
    const env = isolatedEnv(join(tmp.dir, 'home'));
    const daemon = new Daemon(['--config', configPath, '--data-dir', dataDir], env);
    try {
      await daemon.ready();
      // The daemon comes back well within the time the app waits before taking over.
      const attached = await app({ afterMs: 120_000 });
      expect(attached.source.host).toBeUndefined();
      expect(attached.tray.tooltip).toContain(`attached to sentinel run (pid ${daemon.child.pid})`);
      await waitFor(() => webOf(attached.shell), {
        timeout: 20_000,
        what: 'web running, seen through the attached app',
      });

      await daemon.kill('SIGTERM');
      await waitFor(() => /reconnecting/.test(attached.tray.tooltip), { what: 'the tooltip to say the daemon went' });
      await attachesToRestartedDaemon(attached.tray, env);
    } finally {
      if (daemon.child.exitCode === null) await daemon.kill('SIGKILL');
    }
  }, 120_000);
  it('takes over the data dir when the `sentinel run` it attached to is gone for good', async () => {
    const env = isolatedEnv(join(tmp.dir, 'home'));
    const daemon = new Daemon(['--config', configPath, '--data-dir', dataDir], env);
    const notes: string[] = [];
    try {
      await daemon.ready();
      const a = await app({ afterMs: 300, onNote: (m) => notes.push(m) });
      const before = await waitFor(() => webOf(a.shell), { timeout: 20_000, what: 'web running under sentinel run' });
      await daemon.kill('SIGTERM');
      await waitFor(() => a.source.host, { timeout: 30_000, what: 'the app to supervise the data dir itself' });
      expect(notes.join('\n')).toMatch(/the app supervises/);
      await waitFor(() => !/attached/.test(a.tray.tooltip), { what: 'the tooltip to stop saying "attached"' });
      // Supervised again: a new child, the same menu, the real CLI answered by the app's own host.
      const after = await waitFor(() => webOf(a.shell), { timeout: 20_000, what: 'web running under the app' });
      expect(after.pid).not.toBe(before.pid);
      const status = await cli(['status', '--json', '--data-dir', dataDir], env);
      expect(status.code).toBe(0);
      expect(status.stdout).toContain('"web"');
      // One supervisor per data dir: a `sentinel run` started now refuses, naming the app.
      const late = await cli(['run', '--config', configPath, '--data-dir', dataDir], env);
      expect(late.code).toBe(1);
      expect(late.stderr).toContain(`pid ${process.pid}`);
    } finally {
      if (daemon.child.exitCode === null) await daemon.kill('SIGKILL');
    }
  }, 120_000);

  it('never takes the data dir from a service manager: it waits, and attaches to the daemon it restarts', async () => {
    const env = isolatedEnv(join(tmp.dir, 'home'));
    const daemon = new Daemon(['--config', configPath, '--data-dir', dataDir], env);
    const notes: string[] = [];
    try {
      await daemon.ready();
      const a = await app({ afterMs: 100, allowed: () => false, onNote: (m) => notes.push(m) });
      await daemon.kill('SIGTERM');
      await waitFor(() => notes.some((m) => /a service supervises this data dir/.test(m)), {
        what: 'the app to decline taking over',
      });
      expect(a.source.host).toBeUndefined();
      await attachesToRestartedDaemon(a.tray, env);
    } finally {
      if (daemon.child.exitCode === null) await daemon.kill('SIGKILL');
    }
  }, 120_000);
});
