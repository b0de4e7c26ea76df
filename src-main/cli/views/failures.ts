/**
 * `sentinel failures` as a table that fits 100 columns (the reason is cut to fit; `sentinel report ID` and
 * --json have it whole), newest first.
 */
import type { FailureSummary } from '../../shared/contract';
import { localTime, table, withoutName } from '../format';
import { plain, type Colors } from '../style';

export interface FailuresViewOptions {
  now: number;
  width: number;
  c?: Colors;
}

/** Open failures are still being handled; a closed one either recovered or ended some other way. */
export const outcomeOf = (f: Pick<FailureSummary, 'outcome' | 'recovered_at'>): string =>
  f.outcome ?? (f.recovered_at !== null ? 'recovered' : 'open');

export function failuresView(
  page: { items: readonly FailureSummary[]; total: number },
  { now, width, c = plain }: FailuresViewOptions,
): string {
  if (page.items.length === 0) return 'no failures recorded';
  const rows = page.items.map((f) => {
    const outcome = outcomeOf(f);
    const paint = f.recovered_at !== null ? c.green : outcome === 'open' ? c.red : c.yellow;
    return [
      String(f.id),
      localTime(f.started_at, now),
      f.service,
      f.kind,
      { text: outcome, paint },
      withoutName(f.reason, f.service),
    ];
  });
  const body = table(
    [
      { header: 'ID', align: 'right', fixed: true },
      { header: 'STARTED', fixed: true },
      { header: 'SERVICE', max: 16 },
      { header: 'KIND', max: 11 },
      { header: 'OUTCOME', max: 22 },
      { header: 'REASON' },
    ],
    rows,
    { c, width },
  );
  const shown = `${page.items.length} of ${page.total}`;
  return `${body}\n${shown}${c.dim(' · details: sentinel report <ID>')}`;
}
