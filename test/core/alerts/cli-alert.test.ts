/** `sentinel alert test [CHANNEL]` from the built CLI, with no daemon running: straight from the config file. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, CLI_MISSING, isolatedEnv } from '../../helpers/cli-harness';
import { freePort } from '../../helpers/net';
import { tempDir } from '../../helpers/tmp';
import { startReceiver } from './receiver';

describe.skipIf(CLI_MISSING)('sentinel alert test', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('sends to every channel, reports each, exits 1 when one failed; secrets never printed', async () => {
    const rx = await startReceiver();
    cleanups.push(() => rx.close());
    const down = await freePort();
    const t = tempDir('sentinel-alert-cli-');
    cleanups.push(t.cleanup);
    const config = join(t.dir, 'sentinel.yaml');
    writeFileSync(
      config,
      `alerts:
  channels:
    ops: { type: webhook, url: "${rx.url}/hook?token=hunter2-secret" }
    phone: { type: ntfy, url: "http://127.0.0.1:${down}/my-topic", token: tk_secret_token }
  delivery: { retries: 1, backoff: 10ms }
`,
    );
    const env = isolatedEnv(t.dir);
    const args = ['--config', config, '--data-dir', join(t.dir, 'data')];
    const all = await cli(['alert', 'test', ...args], env);
    expect(all.code).toBe(1);
    expect(all.stdout).toContain('no sentinel running');
    expect(all.stdout).toMatch(/ops\s+sent\s+HTTP 200/);
    expect(all.stdout).toMatch(/phone\s+FAILED\s+.*ECONNREFUSED/);
    expect(all.stderr).toContain('some channels did not get the test alert');
    expect(all.stdout + all.stderr).not.toMatch(/hunter2|my-topic|tk_secret/);
    expect(rx.requests.map((r) => r.json.kind)).toEqual(['test']);

    const one = await cli(['alert', 'test', 'ops', ...args], env);
    expect(one.code).toBe(0);
    expect(rx.requests).toHaveLength(2);

    const unknown = await cli(['alert', 'test', 'pager', ...args], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no alert channel named "pager" (channels: ops, phone)');
  }, 60_000);
});
