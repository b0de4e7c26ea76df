/**
 * Proves every dependency rule holds: depcruise runs over test/borders/tree, where one file named after each rule
 * breaks it, and each rule must fire on its own fixture (a rule that never fires is a border with a hole).
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const tree = join(import.meta.dirname, 'tree');
const config = join(root, '.dependency-cruiser.cjs');
const rules = (createRequire(import.meta.url)(config) as { forbidden: { name: string }[] }).forbidden.map(
  (r) => r.name,
);

interface Violation {
  rule: { name: string };
  from: string;
}

function cruiseFixtures(): Violation[] {
  let out: string;
  try {
    out = execFileSync(
      process.execPath,
      [join(root, 'node_modules/.bin/depcruise'), 'src-main', 'src-renderer', '--config', config, '-T', 'json'],
      { cwd: tree, encoding: 'utf8', maxBuffer: 16 << 20 },
    );
  } catch (err) {
    // depcruise exits non-zero when it finds violations, which is the point here.
    out = (err as { stdout: string }).stdout;
  }
  return (JSON.parse(out) as { summary: { violations: Violation[] } }).summary.violations;
}

describe('dependency borders', () => {
  const violations = cruiseFixtures();

  it('has a fixture for every rule and nothing else fires', () => {
    for (const v of violations) expect(rules).toContain(v.rule.name);
    expect(rules.length).toBeGreaterThanOrEqual(10);
  });

  it.each(rules)('%s refuses its fixture', (rule) => {
    const fired = violations.filter((v) => v.rule.name === rule).map((v) => v.from);
    expect(fired.some((from) => from.endsWith(`/${rule}.ts`))).toBe(true);
  });
});
