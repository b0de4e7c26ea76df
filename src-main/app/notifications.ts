/**
 * A notification when the overall colour changes (not on every reason change, so it never nags). Unsigned builds
 * cannot post notifications on macOS (Electron emits `failed`); then the tray title carries the news instead.
 */
import type { AlertNotice, Color, OverallStatus } from '../shared/contract';
import type { ElectronApi } from './electron-api';
import { SHAPE } from './status-line';

export interface StatusNotifier {
  onStatus(overall: OverallStatus): void;
}

export function createNotifier(
  electron: Pick<ElectronApi, 'Notification'>,
  opts: {
    enabled: () => boolean;
    setTrayTitle: (text: string) => void;
    onClick?: () => void;
    /** True once desktop alerts arrive: they say the same per episode and better, so colour changes stay quiet. */
    superseded?: () => boolean;
  },
): StatusNotifier {
  let last: Color | null = null;
  return {
    onStatus(overall) {
      const previous = last;
      last = overall.status;
      if (previous === null || previous === overall.status) return;
      if (overall.status === 'green') opts.setTrayTitle('');
      if (!opts.enabled() || opts.superseded?.()) return;
      const fallback = () =>
        opts.setTrayTitle(overall.status === 'green' ? '' : `${SHAPE[overall.status]} ${overall.reason}`);
      if (!electron.Notification.isSupported()) return fallback();
      const n = new electron.Notification({
        title: `Sentinel is ${overall.status}`,
        body: overall.reason,
        silent: overall.status === 'green',
      });
      n.on('failed', fallback);
      if (opts.onClick) n.on('click', opts.onClick);
      n.show();
    },
  };
}

export interface AlertNotifier {
  onAlert(notice: AlertNotice): void;
  /** Has any desktop alert arrived (the config routes alerts to the desktop)? */
  active(): boolean;
}

/** The buttons a desktop alert offers, by what it is about (pure: the menu of a notification). */
export function alertActions(notice: AlertNotice): Array<'Show failure' | 'Restart'> {
  const out: Array<'Show failure' | 'Restart'> = [];
  if (notice.failure_id !== null || notice.kind === 'failure' || notice.kind === 'fatal') out.push('Show failure');
  if (notice.service !== null && ['failure', 'fatal', 'limit'].includes(notice.kind)) out.push('Restart');
  return out;
}

/**
 * Desktop alerts (the `desktop` alert channel) in Notification Center, with "Show failure" and "Restart" buttons
 * where macOS offers actions (a signed app with alert-style notifications); a click shows the failure either way.
 */
export function createAlertNotifier(
  electron: Pick<ElectronApi, 'Notification'>,
  opts: { enabled: () => boolean; showFailure: (failureId: number | null) => void; restart: (service: string) => void },
): AlertNotifier {
  let seen = false;
  return {
    active: () => seen,
    onAlert(notice) {
      seen = true;
      if (!opts.enabled() || !electron.Notification.isSupported()) return;
      const actions = alertActions(notice);
      const n = new electron.Notification({
        title: notice.title,
        body: notice.message,
        silent: notice.severity === 'info',
        urgency: notice.severity === 'critical' ? 'critical' : 'normal',
        actions: actions.map((text) => ({ type: 'button' as const, text })),
      });
      n.on('click', () => opts.showFailure(notice.failure_id));
      n.on('action', (_event, index) => {
        const action = actions[index];
        if (action === 'Show failure') opts.showFailure(notice.failure_id);
        else if (action === 'Restart' && notice.service !== null) opts.restart(notice.service);
      });
      n.show();
    },
  };
}
