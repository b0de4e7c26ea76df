/** Picks the platform Sentinel runs on. Anything that is not macOS gets the Linux tools (CI, headless servers). */
import { darwinPlatform } from './darwin/index';
import { linuxPlatform } from './linux/index';
import type { Platform } from './types';

export type { Platform } from './types';
export type { Connection, NetInterface, Route } from './shapes';
export type { ProcessRow } from './ps';

export function platformByName(name: string): Platform {
  if (name === 'darwin') return darwinPlatform;
  if (name === 'linux') return linuxPlatform;
  throw new Error(`platform: "${name}" is not supported (expected "darwin" or "linux")`);
}

export function currentPlatform(): Platform {
  return process.platform === 'darwin' ? darwinPlatform : linuxPlatform;
}
