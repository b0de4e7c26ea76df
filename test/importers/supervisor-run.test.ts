/**
 * An imported config runs under the real Supervisor: a crashing PM2 app is restarted after its mapped
 * restart_delay. Skipped only while src-main/core/supervisor/supervisor.ts does not exist yet.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { loadConfigText } from '../../src-main/core/config/load';
import type { ProcessSpec } from '../../src-main/core/config/schema';
import { importPm2, toYaml } from '../../src-main/core/importers';
import { openDb } from '../../src-main/core/store/db';
import { silentLogger } from '../../src-main/core/util/logger';
import { tempDir } from '../helpers/tmp';
import { waitFor } from '../helpers/wait';

const SUPERVISOR = join(__dirname, '../../src-main/core/supervisor/supervisor.ts');

interface SupervisorLike extends EventEmitter {
  setSpecs(specs: ProcessSpec[]): unknown;
  startAutostart(): Promise<void>;
  shutdown(): Promise<void>;
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('imported config under the real Supervisor', () => {
  it.skipIf(!existsSync(SUPERVISOR))('restarts a crashing pm2 app after the mapped restart_delay', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const script = join(dir, 'crash.js');
    writeFileSync(script, 'setTimeout(() => process.exit(3), 100);\n');
    const eco = `module.exports = { apps: [{ name: 'crasher', script: ${JSON.stringify(script)}, interpreter: ${JSON.stringify(process.execPath)}, restart_delay: 400, max_restarts: 5, min_uptime: 0 }] }`;
    const imported = importPm2(eco, 'ecosystem.config.js');
    const config = loadConfigText(toYaml(imported.config, imported.warnings), 'imported');
    expect(config.processes[0]!.restart).toMatchObject({ policy: 'always', delay: 400, backoff: 1 });

    const db = openDb(join(dir, 'sentinel.db'));
    cleanups.push(() => db.close());
    const modulePath = SUPERVISOR; // a variable: the module may not exist yet when this file is type-checked
    const { Supervisor } = (await import(/* @vite-ignore */ modulePath)) as { Supervisor: new (o: object) => SupervisorLike };
    const sup = new Supervisor({ db, logger: silentLogger, logRetention: config.settings.logs });
    cleanups.push(() => sup.shutdown());
    const exits: number[] = [];
    const starts: number[] = [];
    sup.on('exit', () => exits.push(Date.now()));
    sup.on('process.changed', (info: { state: string; pid: number | null }) => {
      if (info.state === 'running' || (info.state === 'starting' && info.pid)) if (starts.length === 0 || Date.now() - starts.at(-1)! > 50) starts.push(Date.now());
    });
    sup.setSpecs(config.processes);
    await sup.startAutostart();
    await waitFor(() => starts.length >= 2 && exits.length >= 1, { timeout: 10_000, what: 'a restart after the crash' });
    const gap = starts[1]! - exits[0]!;
    expect(gap).toBeGreaterThanOrEqual(400 - 50);
    expect(gap).toBeLessThan(400 + 1_500);
  });
});
