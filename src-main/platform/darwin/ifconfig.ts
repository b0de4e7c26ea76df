/**
 * macOS `ifconfig`: a header line per interface ("en0: flags=8863<UP,BROADCAST,…> mtu 1500") followed by
 * tab-indented attribute lines (ether, inet, inet6, status …). utun interfaces (NetBird, WireGuard) are
 * point-to-point with "inet A --> B" and carry no "status:" line.
 */
import type { InterfaceAddress, NetInterface } from '../shapes';
import { lines } from '../text';

/** "0xffffff00" → 24. */
export function netmaskToPrefix(hex: string): number | null {
  if (!/^0x[0-9a-f]{8}$/i.test(hex)) return null;
  let n = parseInt(hex.slice(2), 16);
  let bits = 0;
  while (n) {
    bits += n & 1;
    n >>>= 1;
  }
  return bits;
}

const HEADER = /^([A-Za-z0-9_.-]+): flags=[0-9a-f]+<([^>]*)>(?:\s+mtu\s+(\d+))?/;

export function parseIfconfig(raw: string): NetInterface[] {
  // "status:" arrives after the addresses, so it is kept aside and folded into `status` at the end.
  const out: Array<NetInterface & { reportedStatus?: string }> = [];
  let current: (typeof out)[number] | undefined;
  for (const line of lines(raw)) {
    const header = HEADER.exec(line);
    if (header) {
      current = {
        name: header[1]!,
        index: null,
        flags: header[2] ? header[2].split(',') : [],
        mtu: header[3] ? Number(header[3]) : null,
        status: 'unknown',
        mac: null,
        addresses: [],
      };
      out.push(current);
      continue;
    }
    if (!current) throw new Error(`ifconfig: attribute line before any interface: "${line}"`);
    const words = line.trim().split(/\s+/);
    const [key] = words;
    const after = (k: string) => {
      const i = words.indexOf(k);
      return i >= 0 ? words[i + 1] : undefined;
    };
    if (key === 'ether') current.mac = words[1] ?? null;
    else if (key === 'inet') {
      const addr: InterfaceAddress = {
        family: 'inet',
        address: words[1]!,
        prefixlen: netmaskToPrefix(after('netmask') ?? ''),
      };
      if (after('-->')) addr.peer = after('-->')!;
      if (after('broadcast')) addr.broadcast = after('broadcast')!;
      current.addresses.push(addr);
    } else if (key === 'inet6') {
      const [address, zone] = words[1]!.split('%');
      const prefix = after('prefixlen');
      const addr: InterfaceAddress = { family: 'inet6', address: address!, prefixlen: prefix ? Number(prefix) : null };
      if (zone) addr.scope = 'link';
      current.addresses.push(addr);
    } else if (key === 'status:') current.reportedStatus = words[1];
    else if (key === 'index' && words[1]) current.index = Number(words[1]);
  }
  return out.map(({ reportedStatus, ...iface }) => ({ ...iface, status: statusOf(iface.flags, reportedStatus) }));
}

/** "status: active/inactive" wins; interfaces without it (lo0, utun) are up when flagged UP and RUNNING. */
function statusOf(flags: string[], reported: string | undefined): NetInterface['status'] {
  if (reported === 'active') return 'up';
  if (reported === 'inactive') return 'down';
  if (!flags.includes('UP')) return 'down';
  return flags.includes('RUNNING') ? 'up' : 'unknown';
}
