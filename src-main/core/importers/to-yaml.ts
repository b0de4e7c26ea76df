/** Writes an imported config as YAML with its warnings as comments on top, so nothing is dropped silently. */
import { stringify } from 'yaml';
import type { ConfigInput } from '../config/schema';

export function toYaml(config: ConfigInput, warnings: readonly string[], source?: string): string {
  const head = [`# Imported${source ? ` from ${source}` : ''} by sentinel import. Review before use.`];
  if (warnings.length > 0) {
    head.push('# Not mapped exactly (please check):');
    for (const w of warnings) head.push(`#  - ${w.replace(/\s*\n\s*/g, ' ')}`);
  }
  return `${head.join('\n')}\n${stringify(config, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
