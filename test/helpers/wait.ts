/** Waiting in tests: on a condition or an event, always with a deadline, never a fixed sleep. */
import { once, type EventEmitter } from 'node:events';

export async function waitFor<T>(
  probe: () => T | Promise<T>,
  { timeout = 10_000, interval = 20, what = 'condition' }: { timeout?: number; interval?: number; what?: string } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v as NonNullable<T>;
      last = v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeout} ms waiting for ${what} (last: ${String(last)})`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

export async function waitForEvent<T extends unknown[]>(
  emitter: EventEmitter,
  event: string,
  { timeout = 10_000, filter }: { timeout?: number; filter?: (...args: T) => boolean } = {},
): Promise<T> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeout);
  try {
    for (;;) {
      const args = (await once(emitter, event, { signal: ac.signal })) as T;
      if (!filter || filter(...args)) return args;
    }
  } catch (err) {
    if (ac.signal.aborted) throw new Error(`timed out after ${timeout} ms waiting for event "${event}"`);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** Is a pid alive (signal 0)? */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
