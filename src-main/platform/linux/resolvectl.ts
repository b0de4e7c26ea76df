/**
 * `resolvectl status` (systemd-resolved): a "Global" block and one "Link N (name)" block per interface.
 * A link with its own DNS servers or domains is what macOS calls a scoped resolver (e.g. a VPN domain).
 */
import { emptyResolver, type Resolver } from '../shapes';
import { lines } from '../text';

export function parseResolvectl(raw: string): Resolver[] {
  const out: Resolver[] = [];
  let current: Resolver | undefined;
  let lastKey = '';
  for (const line of lines(raw)) {
    const header = /^(Global|Link (\d+) \(([^)]+)\))\s*$/.exec(line);
    if (header) {
      current = {
        ...emptyResolver(header[1]!, header[2] !== undefined),
        interface: header[3] ?? null,
        if_index: header[2] ? Number(header[2]) : null,
      };
      out.push(current);
      lastKey = '';
      continue;
    }
    if (!current) continue;
    const kv = /^\s*([A-Za-z][A-Za-z. ]*?):\s*(.*)$/.exec(line);
    // Continuation lines (more DNS servers or domains) are indented values without a key.
    const [key, value] = kv && !/^\s*[0-9a-f:.]+$/i.test(line) ? [kv[1]!, kv[2]!] : [lastKey, line.trim()];
    lastKey = key;
    const words = value.split(/\s+/).filter(Boolean);
    if (key === 'DNS Servers' || key === 'Current DNS Server') {
      for (const w of words) if (!current.nameservers.includes(w)) current.nameservers.push(w);
    } else if (key === 'DNS Domain')
      current.search_domains.push(...words.filter((w) => !current!.search_domains.includes(w)));
    else if (key === 'Protocols') current.flags.push(...words);
    else if (key === 'resolv.conf mode') current.flags.push(`resolv.conf mode: ${value}`);
  }
  // A link without servers or domains adds nothing to the picture; the global block is always kept.
  return out.filter((r) => !r.scoped || r.nameservers.length > 0 || r.search_domains.length > 0);
}
