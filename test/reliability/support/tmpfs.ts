/** A small tmpfs we mount ourselves (root only) to fill a disk for real, and grow again to give the space back. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, statfsSync } from 'node:fs';

export interface Tmpfs {
  dir: string;
  resize(bytes: number): void;
  freeBytes(): number;
  unmount(): void;
}

/** Mounts a tmpfs of `bytes` at `dir`, or returns why it cannot (not root, no CAP_SYS_ADMIN, no mount binary). */
export function mountTmpfs(dir: string, bytes: number): Tmpfs | { reason: string } {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    return {
      reason: `cannot mount a tmpfs here (${String((err as { stderr?: Buffer }).stderr ?? err).trim()}); needs root with CAP_SYS_ADMIN`,
    };
  }
  let mounted = true;
  return {
    dir,
    resize: (n) => execFileSync('mount', ['-o', `remount,size=${n}`, dir], { stdio: 'pipe' }),
    freeBytes: () => {
      const s = statfsSync(dir);
      return s.bavail * s.bsize;
    },
    unmount: () => {
      if (!mounted) return;
      // Lazy: a process that still holds a file (a dying supervisor) must not make the cleanup fail.
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      mounted = false;
    },
  };
}

/** Can this process mount at all? Probed once with a throwaway 1 MB tmpfs. */
export function canMountTmpfs(probeDir: string): string | undefined {
  const t = mountTmpfs(probeDir, 1024 * 1024);
  if ('reason' in t) return t.reason;
  t.unmount();
  return undefined;
}
