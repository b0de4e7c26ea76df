/**
 * A notification when the overall colour changes (not on every reason change, so it never nags). Unsigned builds
 * cannot post notifications on macOS (Electron emits `failed`); then the tray title carries the news instead.
 */
import type { Color, OverallStatus } from '../shared/contract';
import type { ElectronApi } from './electron-api';
import { SHAPE } from './status-line';

export interface StatusNotifier {
  onStatus(overall: OverallStatus): void;
}

export function createNotifier(
  electron: Pick<ElectronApi, 'Notification'>,
  opts: { enabled: () => boolean; setTrayTitle: (text: string) => void; onClick?: () => void },
): StatusNotifier {
  let last: Color | null = null;
  return {
    onStatus(overall) {
      const previous = last;
      last = overall.status;
      if (previous === null || previous === overall.status) return;
      if (overall.status === 'green') opts.setTrayTitle('');
      if (!opts.enabled()) return;
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
