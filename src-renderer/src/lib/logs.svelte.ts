/**
 * The log view's lines: the newest stored lines matching the process and search (the search runs server-side, in
 * SQLite, over every stored line — not only the ones loaded here), then live `logs.appended` pushes that match.
 * Older lines page in on demand. While paused, pushed lines are counted, not shown; resuming re-queries the tail.
 */
import type { LogLine } from '../../../src-main/shared/contract';
import { client, onReconnect } from './client';
import { touched } from './connection.svelte';
import { compileFilter } from './format';

/** A window holds at most this many lines (the virtual list draws only the visible ones). */
export const MAX_LINES = 100_000;
/** Lines per query (the tail, and each page of older lines). */
export const PAGE = 1000;

export const logs = $state<{
  lines: LogLine[];
  process: string;
  search: string;
  /** Invalid search pattern, said before asking the server. */
  searchError: string | null;
  loading: boolean;
  /** No older stored lines match. */
  atStart: boolean;
  paused: boolean;
  missed: number;
  error: string | null;
}>({
  lines: [],
  process: '',
  search: '',
  searchError: null,
  loading: true,
  atStart: false,
  paused: false,
  missed: 0,
  error: null,
});

let generation = 0;
let matcher: RegExp | null = null;

const query = () => ({
  ...(logs.process ? { process: logs.process } : {}),
  ...(logs.search ? { grep: logs.search } : {}),
});

export async function loadTail(): Promise<void> {
  const filter = compileFilter(logs.search);
  logs.searchError = filter.error;
  if (filter.error) return;
  matcher = filter.re;
  const mine = ++generation;
  logs.loading = true;
  try {
    const r = await client.request('logs.query', { ...query(), limit: PAGE });
    if (mine !== generation) return; // a newer search superseded this one
    logs.lines = r.lines;
    logs.atStart = r.lines.length < PAGE;
    logs.missed = 0;
    logs.error = null;
    touched();
  } catch (err) {
    if (mine === generation) logs.error = (err as Error).message;
  } finally {
    if (mine === generation) logs.loading = false;
  }
}

let earlierPending = false;

/**
 * The stored lines before the first one shown (one page), without showing them: the view prepends them itself, in
 * the one render where its virtual list is told that items were added at the start. One page at a time.
 */
export async function fetchEarlier(): Promise<LogLine[]> {
  const first = logs.lines[0];
  if (!first || logs.atStart || logs.loading || earlierPending) return [];
  const mine = generation;
  earlierPending = true;
  try {
    const r = await client.request('logs.query', { ...query(), before_id: first.id, limit: PAGE });
    if (mine !== generation || logs.lines[0]?.id !== first.id) return [];
    logs.atStart = r.lines.length < PAGE;
    const room = MAX_LINES - logs.lines.length;
    return room > 0 ? r.lines.slice(Math.max(0, r.lines.length - room)) : [];
  } finally {
    earlierPending = false;
  }
}

export function prependLines(older: LogLine[]): void {
  if (older.length) logs.lines = [...older, ...logs.lines];
}

export function setPaused(paused: boolean): void {
  logs.paused = paused;
  if (!paused) void loadTail();
}

client.on('logs.appended', (batch) => {
  const wanted = batch.filter(
    (l) => (!logs.process || l.process === logs.process) && (matcher === null || matcher.test(l.line)),
  );
  if (wanted.length === 0) return;
  touched();
  if (logs.paused || logs.loading) {
    if (logs.paused) logs.missed += wanted.length;
    return;
  }
  const next = logs.lines.concat(wanted);
  logs.lines = next.length > MAX_LINES ? next.slice(next.length - MAX_LINES) : next;
});
onReconnect(() => void loadTail());
