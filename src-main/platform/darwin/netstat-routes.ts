/**
 * macOS `netstat -rn`: "Internet:" and "Internet6:" sections, each with a header row
 * (Destination Gateway Flags Netif Expire) and one route per line. A trailing "!" marks a route that is
 * not the preferred one; "link#14" gateways are directly attached (no next hop).
 */
import type { Route } from '../shapes';
import { fields, lines } from '../text';

export function parseNetstatRoutes(raw: string): Route[] {
  const out: Route[] = [];
  let family: Route['family'] | undefined;
  for (const line of lines(raw)) {
    if (line === 'Internet:') family = 'inet';
    else if (line === 'Internet6:') family = 'inet6';
    else if (line.startsWith('Routing tables') || line.startsWith('Destination')) continue;
    else if (family) {
      const [destination, gateway, flags, netif, ...rest] = fields(line);
      if (!destination || !gateway || !flags) throw new Error(`netstat -rn: cannot read route line "${line}"`);
      const extra: Record<string, string | number> = {};
      for (const w of rest) {
        if (w === '!') extra.not_preferred = 'yes';
        else if (/^\d+$/.test(w)) extra.expire_s = Number(w);
      }
      out.push({
        family,
        destination,
        gateway: gateway.startsWith('link#') ? null : gateway,
        interface: netif ?? null,
        flags: flags.split(''),
        ...(Object.keys(extra).length ? { extra } : {}),
      });
    }
  }
  return out;
}
