/**
 * The views of the one window page, as hash routes (#/failures/12): the popover/Overview is `status`. The shell
 * opens windows at them and the renderer's router reads them, so both spell a route the same way. Zod-free: the
 * windows import it at run time.
 */
export const WINDOW_VIEWS = ['status', 'processes', 'failures', 'logs', 'stats', 'schedules', 'settings'] as const;
export type WindowView = (typeof WINDOW_VIEWS)[number];

/** The hash path of a view and its selection (a failure id, a process name): "/failures/12", "/logs/web%20db". */
export function viewPath(view: WindowView, param?: string | number): string {
  return `/${view}${param === undefined ? '' : `/${encodeURIComponent(String(param))}`}`;
}
