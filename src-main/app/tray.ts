/** The tray icon: image, tooltip and menu follow the overall status; the title is the fallback for notifications. */
import type { Tray } from 'electron';
import type { ElectronApi } from './electron-api';
import { buildMenuTemplate, type MenuActions, type MenuState } from './menu';
import { tooltip } from './status-line';
import { trayIcon } from './tray-icons';

export interface TrayController {
  readonly tray: Tray;
  update(state: MenuState): void;
  /** Text beside the icon (macOS), e.g. when a notification could not be shown. */
  setTitle(text: string): void;
}

export function createTray(
  electron: Pick<ElectronApi, 'Tray' | 'Menu' | 'nativeImage'>,
  opts: { assetsDir: string; platform: NodeJS.Platform; state: MenuState; actions: MenuActions },
): TrayController {
  const image = (state: MenuState) => {
    const icon = trayIcon(state.overall.status, opts.platform, opts.assetsDir);
    const img = electron.nativeImage.createFromPath(icon.file);
    img.setTemplateImage(icon.template);
    return img;
  };
  // Kept by the returned controller: a Tray that is garbage-collected disappears from the menu bar.
  const tray = new electron.Tray(image(opts.state));
  tray.setIgnoreDoubleClickEvents(true);
  const update = (state: MenuState) => {
    tray.setImage(image(state));
    tray.setToolTip(tooltip(state.overall, state.attachedTo));
    tray.setContextMenu(electron.Menu.buildFromTemplate(buildMenuTemplate(state, opts.actions)));
  };
  update(opts.state);
  return { tray, update, setTitle: (text) => tray.setTitle(text) };
}
