/**
 * Which image the tray shows. On macOS green is a monochrome *template* image, so the menu bar recolours it for
 * light, dark and highlighted states; yellow and red must stay coloured, so they are not templates (a template is
 * always monochrome). Each also differs by shape (✓ ! ×). Elsewhere every state is a coloured image.
 */
import { join } from 'node:path';
import type { Color } from '../shared/contract';

export interface TrayIcon {
  file: string;
  template: boolean;
}

export function trayIcon(status: Color, platform: NodeJS.Platform, assetsDir: string): TrayIcon {
  if (platform === 'darwin' && status === 'green') return { file: join(assetsDir, 'trayTemplate.png'), template: true };
  return { file: join(assetsDir, `tray-${status}.png`), template: false };
}
