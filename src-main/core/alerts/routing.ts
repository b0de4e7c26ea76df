/**
 * Which channels an alert goes to: the routes that match its service and family, or every enabled channel when no
 * route is configured. Summaries go where their items went (the caller routes items, not summaries). Pure.
 */
import type { AlertsConfig } from '../config/alerts-schema';
import { familyOf, type AlertEvent } from './events';

export function routeAlert(alert: Pick<AlertEvent, 'kind' | 'service'>, cfg: AlertsConfig): string[] {
  const enabled = (name: string) => cfg.channels[name]?.enabled === true;
  const family = familyOf(alert.kind);
  if (cfg.routes.length === 0) return Object.keys(cfg.channels).filter(enabled);
  const out = new Set<string>();
  for (const route of cfg.routes) {
    if (route.events && (family === null || !route.events.includes(family))) continue;
    // A route for named services does not take alerts about no service (store, upstream, tests).
    if (route.services && (alert.service === null || !route.services.includes(alert.service))) continue;
    for (const c of route.channels) if (enabled(c)) out.add(c);
  }
  return [...out];
}
