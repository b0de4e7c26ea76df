/** Hash routes (pure): #/failures/12 → { route: 'failures', param: '12' }; anything unknown is the status view. */
import { viewPath, WINDOW_VIEWS, type WindowView } from '../../../src-main/shared/views';

export const ROUTES = WINDOW_VIEWS;
export type Route = WindowView;

/** What each route is called in the sidebar and its title. */
export const ROUTE_TITLES: Record<Route, string> = {
  status: 'Overview',
  processes: 'Processes',
  failures: 'Failures',
  logs: 'Logs',
  stats: 'Statistics',
  schedules: 'Schedules',
  settings: 'Settings',
};

export interface RouteLocation {
  route: Route;
  /** The rest of the path, e.g. the failure id in #/failures/12. */
  param: string | null;
}

export function parseHash(hash: string): RouteLocation {
  const [first, second] = hash.replace(/^#\/?/, '').split('/');
  const route = (ROUTES as readonly string[]).includes(first ?? '') ? (first as Route) : 'status';
  let param: string | null = null;
  try {
    param = second ? decodeURIComponent(second) : null;
  } catch {
    param = null; // a malformed %-escape in a typed address is no route parameter
  }
  return { route, param };
}

export function formatHash(route: Route, param?: string | number): string {
  return `#${viewPath(route, param)}`;
}
