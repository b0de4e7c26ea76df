import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMetrics } from '../../../src-main/core/metrics/prometheus';
import { parseExposition } from './exposition';

describe('docs/grafana-dashboard.json', () => {
  it('queries only metric names Sentinel exposes', async () => {
    const dash = JSON.parse(readFileSync(join(__dirname, '../../../docs/grafana-dashboard.json'), 'utf8')) as {
      panels: { targets: { expr: string }[] }[];
    };
    const used = new Set(dash.panels.flatMap((p) => p.targets.flatMap((t) => t.expr.match(/sentinel_[a-z_]+/g) ?? [])));
    const m = createMetrics({
      snapshot: () => ({
        processes: [],
        failuresTotal: 0,
        overall: { status: 'green', reason: '', rule: '', at: 0, services: [], upstream: [] },
      }),
    });
    const exposed = new Set(parseExposition(await m.render()).types.keys());
    expect(used.size).toBeGreaterThan(8);
    expect([...used].filter((n) => !exposed.has(n))).toEqual([]);
  });
});
