/** Shared by the importer tests: fixtures, and the round trip through the real YAML loader. */
import { join } from 'node:path';
import { expect } from 'vitest';
import { loadConfigText } from '../../../src-main/core/config/load';
import type { Config, ProcessSpec } from '../../../src-main/core/config/schema';
import { toYaml, type ImportResult } from '../../../src-main/core/importers';

export const FIX = join(__dirname, '../../fixtures/import');

/** The YAML an import writes must load with the real loader (ConfigSchema), every warning written as a comment. */
export function roundTrip(r: ImportResult, source = 'import'): Config {
  const yaml = toYaml(r.config, r.warnings, source);
  for (const w of r.warnings) expect(yaml).toContain(`#  - ${w.replace(/\s*\n\s*/g, ' ')}`);
  return loadConfigText(yaml, source);
}

export function byName(cfg: Config): Record<string, ProcessSpec> {
  return Object.fromEntries(cfg.processes.map((p) => [p.name, p]));
}

/** Every pattern matches some warning, and every warning is matched by some pattern (nothing unexpected). */
export function expectWarnings(warnings: readonly string[], patterns: readonly RegExp[]): void {
  for (const re of patterns)
    expect(
      warnings.some((w) => re.test(w)),
      `${String(re)} in\n${warnings.join('\n')}`,
    ).toBe(true);
  for (const w of warnings)
    expect(
      patterns.some((re) => re.test(w)),
      `unexpected warning: ${w}`,
    ).toBe(true);
}
