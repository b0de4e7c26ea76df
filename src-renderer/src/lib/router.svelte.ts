/** Hash routes, so each Electron window can open index.html#/failures and the headless page can link views. */
export const ROUTES = ['status', 'failures', 'logs', 'stats', 'processes'] as const;
export type Route = (typeof ROUTES)[number];

export interface Location {
  route: Route;
  /** The rest of the path, e.g. the failure id in #/failures/12. */
  param: string | null;
}

export function parseHash(hash: string): Location {
  const [first, second] = hash.replace(/^#\/?/, '').split('/');
  const route = (ROUTES as readonly string[]).includes(first ?? '') ? (first as Route) : 'status';
  return { route, param: second ? decodeURIComponent(second) : null };
}

export const location = $state<Location>(parseHash(window.location.hash));

window.addEventListener('hashchange', () => Object.assign(location, parseHash(window.location.hash)));

export function go(route: Route, param?: string | number): void {
  window.location.hash = `#/${route}${param === undefined ? '' : `/${encodeURIComponent(String(param))}`}`;
}
