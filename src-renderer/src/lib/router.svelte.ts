/** The current hash route as state, so each Electron window can open index.html#/failures. */
import { formatHash, parseHash, type Route, type RouteLocation } from './route';

export { ROUTES, ROUTE_TITLES, type Route } from './route';

export const location = $state<RouteLocation>(parseHash(window.location.hash));

window.addEventListener('hashchange', () => Object.assign(location, parseHash(window.location.hash)));

export function go(route: Route, param?: string | number): void {
  window.location.hash = formatHash(route, param);
}

export const href = (route: Route, param?: string | number): string => formatHash(route, param);
