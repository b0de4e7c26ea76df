/**
 * macOS `scutil --dns`: "DNS configuration" lists the resolvers used for ordinary queries (a VPN such as NetBird
 * adds a supplemental resolver for its domain); "DNS configuration (for scoped queries)" lists per-interface
 * resolvers. Each "resolver #N" block has "key : value" lines, some indexed ("nameserver[0] : …").
 */
import { emptyResolver, type Resolver } from '../shapes';
import { lines } from '../text';

export function parseScutilDns(raw: string): Resolver[] {
  const out: Resolver[] = [];
  let scopedSection = false;
  let current: Resolver | undefined;
  for (const line of lines(raw)) {
    if (line.startsWith('DNS configuration')) {
      scopedSection = line.includes('scoped');
      current = undefined;
      continue;
    }
    const header = /^resolver #(\d+)/.exec(line);
    if (header) {
      current = emptyResolver(`resolver #${header[1]}`, scopedSection);
      out.push(current);
      continue;
    }
    const kv = /^\s+([a-z_ ]+?)(?:\[\d+\])?\s*:\s*(.*)$/.exec(line);
    if (!current || !kv) continue;
    const [, key, value] = kv as unknown as [string, string, string];
    if (key === 'nameserver') current.nameservers.push(value);
    else if (key === 'search domain') current.search_domains.push(value);
    else if (key === 'domain') current.domain = value;
    else if (key === 'if_index') {
      const m = /^(\d+)(?:\s+\(([^)]+)\))?/.exec(value);
      if (m) {
        current.if_index = Number(m[1]);
        current.interface = m[2] ?? null;
      }
    } else if (key === 'flags') {
      current.flags = value
        .split(',')
        .map((f) => f.trim())
        .filter(Boolean);
      if (current.flags.includes('Scoped')) current.scoped = true;
    }
  }
  return out;
}
