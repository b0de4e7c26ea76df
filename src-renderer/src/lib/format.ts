/** Pure display helpers shared by the views. */

export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

export function formatBytes(n: number | null): string {
  if (n === null) return '—';
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 && i > 0 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

export function formatCpu(cpu: number | null): string {
  return cpu === null ? '—' : `${cpu.toFixed(1)} %`;
}

export function formatTime(at: number | null): string {
  return at === null ? '—' : new Date(at).toLocaleString();
}

/** "next attempt in 45 s" while a process backs off; null when no attempt is pending. */
export function nextAttemptText(nextAttemptAt: number | null, now: number): string | null {
  if (nextAttemptAt === null) return null;
  const s = Math.max(0, Math.ceil((nextAttemptAt - now) / 1000));
  return `next attempt in ${s} s`;
}

/** Compiles a user's filter; an invalid pattern is reported, not thrown. */
export function compileFilter(pattern: string): { re: RegExp | null; error: string | null } {
  if (!pattern) return { re: null, error: null };
  try {
    return { re: new RegExp(pattern), error: null };
  } catch (err) {
    return { re: null, error: (err as Error).message };
  }
}
