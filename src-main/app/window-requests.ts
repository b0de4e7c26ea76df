/**
 * The shell's own channels (shared/shell-channels.ts), answered before the core's dispatcher: `window.open` opens
 * the main window at a view (or brings it forward there) and hides the popover whose link asked for it. Its input
 * is validated by the contract's schema, with the same error shape (the field named) as every other channel.
 */
import { badRequest, type Dispatch } from '../api/dispatch';
import { requests } from '../shared/contract';
import type { WindowManager } from './windows';

export function withWindowRequests(dispatch: Dispatch, windows: WindowManager): Dispatch {
  return async (channel, input) => {
    if (channel !== 'window.open') return dispatch(channel, input);
    const parsed = requests['window.open'].input.safeParse(input ?? undefined);
    if (!parsed.success) return { ok: false, error: badRequest(parsed.error) };
    const { view, failure_id, process } = parsed.data;
    windows.open(view, failure_id ?? process);
    if (view !== 'status') windows.hidePopover();
    return { ok: true, result: { view } };
  };
}
