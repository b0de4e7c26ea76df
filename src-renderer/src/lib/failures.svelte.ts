/** The failure history page: filters, pagination, and a re-query when a failure is created or updated. */
import type { FailureSummary } from '../../../src-main/shared/contract';
import { client, onReconnect } from './client';

export const PAGE_SIZE = 20;
export const RANGES = { all: null, '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const;
export type Range = keyof typeof RANGES;

export const failures = $state<{
  items: FailureSummary[];
  total: number;
  page: number;
  service: string;
  range: Range;
  error: string | null;
}>({
  items: [],
  total: 0,
  page: 0,
  service: '',
  range: 'all',
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
    failures.error = null;
  } catch (err) {
    failures.error = (err as Error).message;
  }
}

client.on('failure.created', () => void loadFailures());
client.on('failure.updated', (f) => {
  const i = failures.items.findIndex((x) => x.id === f.id);
  if (i !== -1) failures.items[i] = f;
});
onReconnect(loadFailures);
