/**
 * Following a link to a larger view. In the menu-bar app's popover it asks the shell to open the main window there
 * (`window.open`; the popover hides); in a browser tab — no shell, no other windows — and inside the main window
 * it navigates this page. Either way the link does something.
 */
import type { WindowOpenInput } from '../../../src-main/shared/contract';
import { client } from './client';
import { go, location, type Route } from './router.svelte';

/** Whether a link from this page opens the main window rather than navigating the page itself. */
function opensMainWindow(): boolean {
  return location.route === 'status' && client.offers('window.open');
}

function selection(route: Route, param: string | number | undefined): WindowOpenInput {
  if (param === undefined) return { view: route };
  if (route === 'failures') return { view: route, failure_id: Number(param) };
  if (route === 'logs') return { view: route, process: String(param) };
  return { view: route };
}

export function openView(route: Route, param?: string | number): void {
  if (!opensMainWindow()) return go(route, param);
  // A refusal (an app without the channel) still leaves the user somewhere: the view in this window.
  client.request('window.open', selection(route, param)).catch(() => go(route, param));
}

/** A link's click: the main window when the shell offers it, else the browser follows the link's href as usual. */
export function onLinkClick(event: MouseEvent, route: Route, param?: string | number): void {
  // A modified click (new tab, new window) is the browser's to handle.
  if (!opensMainWindow() || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  openView(route, param);
}
