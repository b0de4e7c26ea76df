/**
 * Round trips: a config imported from each tool runs under the real Supervisor and behaves as the source tool
 * would — a PM2 app restarts after its restart_delay; a supervisord program gives up only on failed starts and
 * restarts for ever once it ran past startsecs; a launchd KeepAlive job is restarted ThrottleInterval apart and
 * never given up on.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigText } from '../../../src-main/core/config/load';
import type { Config } from '../../../src-main/core/config/schema';
import { importFiles, toYaml, type ImportResult } from '../../../src-main/core/importers';
import { openDb } from '../../../src-main/core/store/db';
import { Supervisor, type TransitionEvent } from '../../../src-main/core/supervisor/supervisor';
import { silentLogger } from '../../../src-main/core/util/logger';
import { tempDir } from '../../helpers/tmp';
import { waitFor } from '../../helpers/wait';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Loads the imported YAML with the real loader and runs it; records starts, exits and states per process. */
async function run(r: ImportResult, dir: string) {
  const config: Config = loadConfigText(toYaml(r.config, r.warnings), 'imported');
  const db = openDb(join(dir, 'sentinel.db'));
  cleanups.push(() => db.close());
  const sup = new Supervisor({ db, logger: silentLogger, logRetention: config.settings.logs });
  cleanups.push(() => sup.shutdown());
  const starts: Record<string, number[]> = {};
  const exits: Record<string, number[]> = {};
  const states: Record<string, string[]> = {};
  sup.on('exit', (e: { name: string }) => (exits[e.name] ??= []).push(Date.now()));
  sup.on('transition', (t: TransitionEvent) => {
    (states[t.name] ??= []).push(t.to);
    // A start attempt is entering `starting` (the later starting → starting step is the spawn of that attempt).
    if (t.to === 'starting' && t.from !== 'starting') (starts[t.name] ??= []).push(t.at);
  });
  sup.setSpecs(config.processes);
  await sup.startAutostart();
  return { sup, config, starts, exits, states };
}

function files(): string {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  return dir;
}

describe('imported configs behave like their source under the real Supervisor', () => {
  it('pm2: a crashing app is restarted after its restart_delay, from a relative script', async () => {
    const dir = files();
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app/crash.js'), 'setTimeout(() => process.exit(3), 100);\n');
    writeFileSync(
      join(dir, 'ecosystem.config.cjs'),
      `module.exports = { apps: [{ name: 'crasher', script: './app/crash.js', interpreter: ${JSON.stringify(process.execPath)}, restart_delay: 400, min_uptime: 0 }] };\n`,
    );
    const { config, starts, exits } = await run(importFiles('pm2', [join(dir, 'ecosystem.config.cjs')]), dir);
    expect(config.processes[0]!.restart).toMatchObject({ policy: 'always', delay: 400, backoff: 1 });
    await waitFor(() => (starts.crasher?.length ?? 0) >= 2, { timeout: 10_000, what: 'a restart after the crash' });
    const gap = starts.crasher![1]! - exits.crasher![0]!;
    expect(gap).toBeGreaterThanOrEqual(400 - 50);
    expect(gap).toBeLessThan(400 + 1_500);
  });

  it('supervisord: startretries counts failed starts only; a program that got running is restarted for ever', async () => {
    const dir = files();
    writeFileSync(
      join(dir, 'supervisord.conf'),
      [
        '[program:never_starts]',
        'command=/bin/sh -c "exit 1"',
        'startsecs=1',
        'startretries=1',
        '[program:crashes_later]',
        'command=/bin/sh -c "sleep 1.2; exit 1"',
        'startsecs=1',
        'startretries=0 ; a failed start would be fatal at once, a crash after RUNNING never is',
        '',
      ].join('\n'),
    );
    const { sup, states } = await run(importFiles('supervisord', [join(dir, 'supervisord.conf')]), dir);
    await waitFor(() => sup.info('never_starts').state === 'fatal', { timeout: 10_000, what: 'never_starts fatal' });
    expect(states.never_starts!.filter((s) => s === 'starting').length).toBeGreaterThanOrEqual(2);
    // Under give_up: window with max_retries 0 the first crash would be fatal; supervisord restarts it.
    await waitFor(() => sup.info('crashes_later').restarts >= 2, {
      timeout: 15_000,
      what: 'two restarts after running',
    });
    expect(states.crashes_later).not.toContain('fatal');
    expect(states.crashes_later).toContain('running');
  }, 30_000);

  it('launchd: KeepAlive true is restarted ThrottleInterval apart, past any retry limit', async () => {
    const dir = files();
    const plist = `<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict>
  <key>Label</key><string>com.example.flaky</string>
  <key>ProgramArguments</key><array><string>/bin/sh</string><string>-c</string><string>exit 7</string></array>
  <key>KeepAlive</key><true/>
  <key>ThrottleInterval</key><integer>1</integer>
</dict></plist>`;
    writeFileSync(join(dir, 'flaky.plist'), plist);
    const { sup, config, starts, exits, states } = await run(importFiles('launchd', [join(dir, 'flaky.plist')]), dir);
    const name = 'com.example.flaky';
    expect(config.processes[0]!.restart).toMatchObject({ give_up: 'never', delay: 1000, max_retries: 5 });
    // More exits than the default max_retries (5) would allow: launchd never gives up.
    await waitFor(() => (exits[name]?.length ?? 0) >= 7, { timeout: 20_000, what: 'seven exits' });
    expect(states[name]).not.toContain('fatal');
    expect(sup.info(name).state).not.toBe('fatal');
    for (let i = 1; i < 6; i++) expect(starts[name]![i]! - exits[name]![i - 1]!).toBeGreaterThanOrEqual(1000 - 50);
  }, 30_000);
});
