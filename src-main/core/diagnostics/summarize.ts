/**
 * Turns stored diagnostics (a record of sections, as saved with a failure) into short, human-readable sections
 * for bug reports: a headline ("5 interfaces, 3 up") and a bounded body with one line per item. The input comes
 * from the database, so every field is checked rather than trusted.
 */
import { trimMiddle } from './trim';

export interface SectionSummary {
  section: string;
  ok: boolean;
  headline: string;
  /** One line per item, at most maxItems lines and maxChars characters. */
  body: string;
}

export interface SummarizeOptions {
  maxItems?: number;
  maxChars?: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const s = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const endpoint = (addr: unknown, port: unknown) =>
  port === null || port === undefined ? s(addr) : `${s(addr).includes(':') ? `[${s(addr)}]` : s(addr)}:${s(port)}`;

/** One line per item, by section; unknown shapes fall back to JSON so nothing is silently dropped. */
const LINE: Record<string, (o: Obj) => string> = {
  interfaces: (o) =>
    `${s(o.name)} ${s(o.status)}${o.mtu ? ` mtu ${s(o.mtu)}` : ''} ${list(o.addresses)
      .filter(isObj)
      .map(
        (a) =>
          `${s(a.address)}${a.prefixlen !== null && a.prefixlen !== undefined ? `/${s(a.prefixlen)}` : ''}${a.peer ? ` --> ${s(a.peer)}` : ''}`,
      )
      .join(', ')}`.trimEnd(),
  routes: (o) =>
    `${s(o.destination)}${o.gateway ? ` via ${s(o.gateway)}` : ''}${o.interface ? ` dev ${s(o.interface)}` : ''}${list(o.flags).length ? ` [${list(o.flags).join('')}]` : ''}`,
  dns: (o) =>
    `${s(o.name)}${o.scoped ? ' (scoped)' : ''}${o.domain ? ` domain ${s(o.domain)}` : ''}${list(o.nameservers).length ? ` nameservers ${list(o.nameservers).join(' ')}` : ''}${list(o.search_domains).length ? ` search ${list(o.search_domains).join(' ')}` : ''}${o.interface ? ` on ${s(o.interface)}` : ''}`,
  connections: (o) =>
    `${s(o.protocol)} ${endpoint(o.local_address, o.local_port)}${o.remote_address ? ` -> ${endpoint(o.remote_address, o.remote_port)}` : ''}${o.state ? ` ${s(o.state)}` : ''}${o.process ? ` ${s(o.process)}[${s(o.pid)}]` : ''}`,
  os_log: (o) =>
    `${s(o.timestamp)}${o.type ? ` ${s(o.type)}` : ''} ${s(o.process)}${o.pid !== null && o.pid !== undefined ? `[${s(o.pid)}]` : ''}: ${s(o.message)}`,
  processes: (o) =>
    `${s(o.pid)} (ppid ${s(o.ppid)}) ${s(o.state)} cpu ${s(o.cpu_percent)}% rss ${Math.round(Number(o.rss_bytes) / 1048576)}MB: ${s(o.command)}`,
};

const NOUN: Record<string, string> = {
  interfaces: 'interface',
  routes: 'route',
  dns: 'resolver',
  connections: 'connection',
  os_log: 'log line',
  processes: 'process',
};

function headline(section: string, items: unknown[]): string {
  const noun = NOUN[section] ?? 'item';
  const n = `${items.length} ${noun}${items.length === 1 ? '' : noun.endsWith('s') ? 'es' : 's'}`;
  if (section === 'interfaces') return `${n}, ${items.filter((i) => isObj(i) && i.status === 'up').length} up`;
  if (section === 'routes') {
    const def = items.find((i): i is Obj => isObj(i) && i.destination === 'default');
    return def ? `${n}, default via ${s(def.gateway) || s(def.interface)}` : `${n}, no default route`;
  }
  return n;
}

export function summarizeDiagnostics(
  diagnostics: Record<string, unknown>,
  { maxItems = 40, maxChars = 4_000 }: SummarizeOptions = {},
): SectionSummary[] {
  return Object.entries(diagnostics).map(([section, value]) => {
    if (!isObj(value)) return { section, ok: false, headline: 'no result recorded', body: '' };
    const ok = value.ok === true;
    const took = typeof value.duration_ms === 'number' ? ` (${value.duration_ms} ms)` : '';
    if (!ok)
      return {
        section,
        ok,
        headline: `error: ${s(value.error) || 'unknown'}${took}`,
        body: trimMiddle(s(value.raw), maxChars),
      };
    if (!Array.isArray(value.data))
      return {
        section,
        ok,
        headline: `collected${took}`,
        body: trimMiddle(JSON.stringify(value.data ?? null, null, 2), maxChars),
      };
    const items = value.data;
    // The newest log lines matter most; for everything else the order the OS printed is the useful one.
    const shown = section === 'os_log' ? items.slice(-maxItems) : items.slice(0, maxItems);
    const format = LINE[section];
    const body = shown.map((item) => (format && isObj(item) ? format(item) : JSON.stringify(item))).join('\n');
    const more = items.length > shown.length ? `\n… ${items.length - shown.length} more not shown` : '';
    return { section, ok, headline: headline(section, items) + took, body: trimMiddle(body, maxChars) + more };
  });
}
