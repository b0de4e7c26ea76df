import { afterEach, describe, expect, it } from 'vitest';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigWatcher, type ReloadRejected } from '../../../src-main/core/config/watch';
import { loadConfigFile } from '../../../src-main/core/config/load';
import type { Config } from '../../../src-main/core/config/schema';
import { silentLogger } from '../../../src-main/core/util/logger';
import { tempDir } from '../../helpers/tmp';
import { waitFor, waitForEvent } from '../../helpers/wait';

const cleanups: (() => void)[] = [];
afterEach(() =>
  cleanups
    .splice(0)
    .reverse()
    .forEach((c) => c()),
);

/** Saves like an editor does: write a new file, rename it over the old one. */
function save(file: string, text: string) {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

function setup() {
  const { dir, cleanup } = tempDir();
  const file = join(dir, 'sentinel.yaml');
  save(file, 'processes:\n  - name: a\n    command: sleep\n    args: ["10"]\n');
  const applied: Config[] = [];
  const w = new ConfigWatcher<Config>({
    file,
    load: loadConfigFile,
    apply: (c) => void applied.push(c),
    logger: silentLogger,
    debounceMs: 50,
  });
  cleanups.push(cleanup, () => w.stop());
  return { file, w, applied };
}

describe('ConfigWatcher', () => {
  it('applies a valid edit saved by rename, once per burst', async () => {
    const { file, w, applied } = setup();
    await w.start();
    const done = waitForEvent(w, 'applied');
    save(file, 'processes:\n  - name: a\n    command: sleep\n    args: ["20"]\n');
    save(file, 'processes:\n  - name: a\n    command: sleep\n    args: ["30"]\n');
    await done;
    expect(applied).toHaveLength(1);
    expect(applied[0]!.processes[0]!.args).toEqual(['30']);
  });

  it('refuses an invalid edit with the reason, keeps the old config, then applies the fix', async () => {
    const { file, w, applied } = setup();
    await w.start();
    const refused = waitForEvent<[ReloadRejected]>(w, 'rejected');
    save(file, 'processes:\n  - name: a\n    command: sleep\n    restart: { delay: soon }\n');
    const [r] = await refused;
    expect(r.reason).toMatch(/processes\[0\]\.restart\.delay: expected a duration/);
    expect(r.issues).toEqual([expect.objectContaining({ path: 'processes[0].restart.delay' })]);
    expect(applied).toHaveLength(0);
    save(file, 'processes:\n  - name: b\n    command: sleep\n');
    await waitFor(() => applied.length === 1, { what: 'fixed config applied', timeout: 5_000 });
    expect(applied[0]!.processes.map((p) => p.name)).toEqual(['b']);
  });

  it('ignores a save that does not change the content', async () => {
    const { file, w, applied } = setup();
    await w.start();
    save(file, 'processes:\n  - name: a\n    command: sleep\n    args: ["10"]\n');
    await w.reload();
    expect(applied).toHaveLength(0);
  });
});
