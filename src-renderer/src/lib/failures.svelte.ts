/**
 * The failure history page: filters, pagination. A new failure does not reload the list under the reader: it is
 * counted ("2 new") until they ask to see it; updates to failures on screen (recovered, outcome) apply in place.
 */
import type { FailureSummary } from '../../../src-main/shared/contract';
import { client, onReconnect } from './client';
import { touched } from './connection.svelte';

export const PAGE_SIZE = 50;
export const RANGES = { all: null, '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const;
export type Range = keyof typeof RANGES;

export const failures = $state<{
  items: FailureSummary[];
  total: number;
  page: number;
  service: string;
  range: Range;
  loaded: boolean;
  /** Failures created since the list was loaded, not yet shown. */
  fresh: number;
  error: string | null;
}>({
  items: [],
  total: 0,
  page: 0,
  service: '',
  range: 'all',
  loaded: false,
  fresh: 0,
  error: null,
});

export async function loadFailures(): Promise<void> {
  const span = RANGES[failures.range];
  try {
    const r = await client.request('failures.list', {
      limit: PAGE_SIZE,
      offset: failures.page * PAGE_SIZE,
      ...(failures.service ? { service: failures.service } : {}),
      ...(span !== null ? { since: Date.now() - span } : {}),
    });
    failures.items = r.items;
    failures.total = r.total;
    failures.loaded = true;
    failures.fresh = 0;
    failures.error = null;
    touched();
  } catch (err) {
    failures.error = (err as Error).message;
  }
}

/** Shows the new failures: back to the first page, newest first. */
export function showFresh(): void {
  failures.page = 0;
  void loadFailures();
}

client.on('failure.created', (f) => {
  if (failures.service && f.service !== failures.service) return;
  // An empty list has nothing to shift: show the first failure at once.
  if (failures.loaded && failures.items.length === 0 && failures.page === 0) void loadFailures();
  else failures.fresh++;
});
client.on('failure.updated', (f) => {
  const i = failures.items.findIndex((x) => x.id === f.id);
  if (i !== -1) failures.items[i] = f;
});
onReconnect(loadFailures);
