/** An imported config runs under the real Supervisor: a crashing PM2 app is restarted after its mapped restart_delay. */
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigText } from '../../src-main/core/config/load';
import { importPm2, toYaml } from '../../src-main/core/importers';
import { openDb } from '../../src-main/core/store/db';
import { Supervisor, type TransitionEvent } from '../../src-main/core/supervisor/supervisor';
import { silentLogger } from '../../src-main/core/util/logger';
import { tempDir } from '../helpers/tmp';
import { waitFor } from '../helpers/wait';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('imported config under the real Supervisor', () => {
  it('restarts a crashing pm2 app after the mapped restart_delay', async () => {
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
    const sup = new Supervisor({ db, logger: silentLogger, logRetention: config.settings.logs });
    cleanups.push(() => sup.shutdown());
    const exits: number[] = [];
    const starts: number[] = [];
    sup.on('exit', () => exits.push(Date.now()));
    // A start attempt is entering `starting` (the later starting → starting step is the spawn of that attempt).
    sup.on('transition', (t: TransitionEvent) => t.to === 'starting' && t.from !== 'starting' && starts.push(t.at));
    sup.setSpecs(config.processes);
    await sup.startAutostart();
    await waitFor(() => starts.length >= 2 && exits.length >= 1, {
      timeout: 10_000,
      what: 'a restart after the crash',
    });
    const gap = starts[1]! - exits[0]!;
    expect(gap).toBeGreaterThanOrEqual(400 - 50);
    expect(gap).toBeLessThan(400 + 1_500);
  });
});
