/** Real headless Chromium for the window tests (the system package; playwright-core brings no browser). */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium; elsewhere (a Mac runner's Google Chrome) name the binary in SENTINEL_CHROMIUM. */
export const CHROMIUM = process.env.SENTINEL_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_MISSING = existsSync(CHROMIUM)
  ? undefined
  : `${CHROMIUM} is missing: apt-get install -y chromium, or set SENTINEL_CHROMIUM to a Chromium/Chrome binary`;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
