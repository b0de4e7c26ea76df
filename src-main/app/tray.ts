/**
 * The tray icon: image, tooltip and menu follow the overall status; the title is the fallback for notifications.
 * On macOS a left click opens the popover and a right click the menu (as iStat Menus and most menu-bar apps do):
 * a context menu set with setContextMenu would swallow the left click there. Elsewhere the menu is the icon's
 * context menu, which is all some Linux trays can show.
 */
import type { Menu, Rectangle, Tray } from 'electron';
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
  opts: {
    assetsDir: string;
    platform: NodeJS.Platform;
    state: MenuState;
    actions: MenuActions;
    /** A left click on the icon (macOS): the popover, placed under the icon's bounds. */
    onClick?: (bounds: Rectangle) => void;
  },
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
  const popover = opts.platform === 'darwin' && opts.onClick !== undefined;
  let menu: Menu | undefined;
  if (popover) {
    tray.on('click', (_event, bounds) => opts.onClick!(bounds));
    tray.on('right-click', () => menu && tray.popUpContextMenu(menu));
  }
  const update = (state: MenuState) => {
    tray.setImage(image(state));
    tray.setToolTip(tooltip(state.overall, state.attachedTo));
    menu = electron.Menu.buildFromTemplate(buildMenuTemplate(state, opts.actions));
    if (!popover) tray.setContextMenu(menu);
  };
  update(opts.state);
  return { tray, update, setTitle: (text) => tray.setTitle(text) };
}
