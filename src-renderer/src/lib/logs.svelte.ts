/**
 * The live log tail: the last lines from `logs.query`, then `logs.appended` pushes. While paused, pushed lines
 * are counted but not shown, so the view holds still; resuming re-queries the tail.
 */
import type { LogLine } from '../../../src-main/shared/contract';
import { client, onReconnect } from './client';

/** Enough to scroll back through, bounded so a chatty process cannot grow the window's memory. */
export const MAX_LINES = 2000;

export const logs = $state<{ lines: LogLine[]; paused: boolean; missed: number; error: string | null }>({
  lines: [],
  paused: false,
  missed: 0,
  error: null,
});

export async function loadTail(): Promise<void> {
  try {
    logs.lines = (await client.request('logs.query', { limit: 500 })).lines;
    logs.missed = 0;
    logs.error = null;
  } catch (err) {
    logs.error = (err as Error).message;
  }
}

export function setPaused(paused: boolean): void {
  logs.paused = paused;
  if (!paused) void loadTail();
}

client.on('logs.appended', (batch) => {
  if (logs.paused) {
    logs.missed += batch.length;
    return;
  }
  const next = logs.lines.concat(batch);
  logs.lines = next.length > MAX_LINES ? next.slice(next.length - MAX_LINES) : next;
});
onReconnect(loadTail);
