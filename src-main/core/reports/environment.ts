/**
 * The "Environment" table of a bug report, read from this machine. Kept apart from report-markdown.ts so the
 * report builder stays pure and testable with fixed values.
 */
import { arch, hostname, release, type } from 'node:os';
import type { ReportEnvironment } from './report-markdown';

/** `os.release()` on macOS is the Darwin kernel version (24.1.0); people know macOS versions (15.1). */
export function macosVersionFromDarwin(darwinRelease: string): string | null {
  const major = Number(darwinRelease.split('.')[0]);
  const minor = Number(darwinRelease.split('.')[1] ?? 0);
  if (!Number.isInteger(major) || major < 20) return null;
  // Darwin 20 = macOS 11 Big Sur … Darwin 24 = macOS 15 Sequoia; Darwin 25 = macOS 26 (the year-based numbering).
  return major >= 25 ? `${major + 1}.${minor}` : `${major - 9}.${minor}`;
}

export function reportEnvironment(
  appVersion: string,
  { includeHostname = false }: { includeHostname?: boolean } = {},
): ReportEnvironment {
  const darwin = process.platform === 'darwin';
  const kernel = release();
  const macos = darwin ? macosVersionFromDarwin(kernel) : null;
  return {
    app_version: appVersion,
    os: darwin ? 'macOS' : type(),
    os_version: macos ? `${macos} (Darwin ${kernel})` : kernel,
    arch: arch(),
    node: process.version,
    // Hostnames can identify people or companies; reports leave them out unless asked.
    ...(includeHostname ? { hostname: hostname() } : {}),
  };
}
