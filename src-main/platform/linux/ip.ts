/** `ip -j addr` and `ip -j route` (v4 and v6): iproute2 already speaks JSON, we only map it to the shared shapes. */
import type { NetInterface, Route } from '../shapes';

type Json = Record<string, unknown>;

function parseJsonArray(raw: string, what: string): Json[] {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new Error(`${what}: output is not JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(value)) throw new Error(`${what}: expected a JSON array`);
  return value as Json[];
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

export function parseIpAddr(raw: string): NetInterface[] {
  return parseJsonArray(raw, 'ip -j addr').map((link) => {
    const flags = strings(link.flags);
    const oper = str(link.operstate);
    // Loopback and tunnels report operstate UNKNOWN; UP + LOWER_UP is the reliable "carrier and enabled".
    const status =
      oper === 'UP' || (flags.includes('UP') && flags.includes('LOWER_UP'))
        ? 'up'
        : oper === 'DOWN' || !flags.includes('UP')
          ? 'down'
          : 'unknown';
    const infos = Array.isArray(link.addr_info) ? (link.addr_info as Json[]) : [];
    return {
      name: str(link.ifname) ?? '?',
      index: num(link.ifindex),
      flags,
      mtu: num(link.mtu),
      status,
      mac: str(link.address),
      addresses: infos
        .filter((a) => a.family === 'inet' || a.family === 'inet6')
        .map((a) => ({
          family: a.family as 'inet' | 'inet6',
          address: str(a.local) ?? '?',
          prefixlen: num(a.prefixlen),
          ...(str(a.address) ? { peer: str(a.address)! } : {}),
          ...(str(a.broadcast) ? { broadcast: str(a.broadcast)! } : {}),
          ...(str(a.scope) ? { scope: str(a.scope)! } : {}),
        })),
    };
  });
}

const ROUTE_EXTRA = ['protocol', 'scope', 'prefsrc', 'metric', 'pref', 'table', 'type'] as const;

/**
 * One or more `ip -j route` outputs, one JSON array per line (`ip -j route` then `ip -j -6 route`); the family
 * of each route is read from its addresses because iproute2 does not print it.
 */
export function parseIpRoutes(raw: string): Route[] {
  return raw
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => parseJsonArray(line, 'ip -j route'))
    .map((r) => {
      const extra: Record<string, string | number> = {};
      for (const k of ROUTE_EXTRA) {
        const v = r[k];
        if (typeof v === 'string' || typeof v === 'number') extra[k] = v;
      }
      const destination = str(r.dst) ?? '?';
      const gateway = str(r.gateway);
      const v6 = destination.includes(':') || (gateway ?? '').includes(':') || str(r.pref) !== null;
      return {
        family: v6 ? 'inet6' : 'inet',
        destination,
        gateway,
        interface: str(r.dev),
        flags: strings(r.flags),
        ...(Object.keys(extra).length ? { extra } : {}),
      } satisfies Route;
    });
}
