/** /etc/resolv.conf → one resolver (nameservers, search domains, options). */
import { emptyResolver, type Resolver } from '../shapes';
import { fields, lines } from '../text';

export function parseResolvConf(raw: string): Resolver[] {
  const resolver = emptyResolver('resolv.conf');
  for (const line of lines(raw)) {
    if (/^\s*[#;]/.test(line)) continue;
    const [key, ...rest] = fields(line);
    if (key === 'nameserver' && rest[0]) resolver.nameservers.push(rest[0]);
    else if (key === 'search') resolver.search_domains = rest;
    else if (key === 'domain' && rest[0]) resolver.domain = rest[0];
    else if (key === 'options') resolver.flags.push(...rest);
  }
  return [resolver];
}
