import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDb } from '../../../src-main/core/store/db';
import { metricsRepo, MINUTE } from '../../../src-main/core/store/metrics-repo';
import { tempDir } from '../../helpers/tmp';

const t = tempDir();
afterAll(() => t.cleanup());

describe('metrics table: raw → minute averages → pruned', () => {
  it('folds whole minutes before the cut into averages and prunes by retention', () => {
    const db = openDb(join(t.dir, `m-${Date.now()}.db`));
    try {
      const repo = metricsRepo(db);
      const base = 100 * MINUTE;
      repo.insert([
        { process: 'a', at: base + 0, resolution: 0, cpu: 10, memory: 100, pids: 1 },
        { process: 'a', at: base + 30_000, resolution: 0, cpu: 20, memory: 300, pids: 2 },
        { process: 'a', at: base + MINUTE + 5_000, resolution: 0, cpu: 40, memory: 1000, pids: 1 },
        { process: 'b', at: base + 10_000, resolution: 0, cpu: 1, memory: 1, pids: 1 },
        { process: 'a', at: base + 2 * MINUTE + 1, resolution: 0, cpu: 99, memory: 9, pids: 1 },
      ]);
      // Cut inside minute 102: minutes 100 and 101 fold, the sample in 102 stays raw.
      expect(repo.downsample(base + 2 * MINUTE + 30_000)).toBe(3);
      expect(repo.since('a', 0)).toEqual([
        { process: 'a', at: base, resolution: MINUTE, cpu: 15, memory: 200, pids: 2 },
        { process: 'a', at: base + MINUTE, resolution: MINUTE, cpu: 40, memory: 1000, pids: 1 },
        { process: 'a', at: base + 2 * MINUTE + 1, resolution: 0, cpu: 99, memory: 9, pids: 1 },
      ]);
      expect(repo.since('b', 0)).toEqual([{ process: 'b', at: base, resolution: MINUTE, cpu: 1, memory: 1, pids: 1 }]);
      expect(repo.prune(base + MINUTE)).toBe(2);
      expect(repo.since('a', 0).map((r) => r.at)).toEqual([base + MINUTE, base + 2 * MINUTE + 1]);
    } finally {
      db.close();
    }
  });
});
