/** Status as colour + shape + word (never colour alone): pure mappings shared by every view. */
import type { ProcessState, ServiceColor } from '../../../src-main/shared/contract';
import { stateColor } from '../../../src-main/shared/states';

export type Tone = 'green' | 'yellow' | 'red' | 'grey';

export function toneOfService(c: ServiceColor): Tone {
  return c === 'not-installed' || c === 'unknown' ? 'grey' : c;
}

/** A process's tone is its state's colour (shared/states.ts), except stopped: grey, "not running, on purpose". */
export function toneOfProcess(s: ProcessState): Tone {
  return s === 'stopped' ? 'grey' : stateColor(s);
}

/** The word beside the symbol. */
export function wordOfService(c: ServiceColor): string {
  return { green: 'OK', yellow: 'Degraded', red: 'Down', 'not-installed': 'Not installed', unknown: 'Checking' }[c];
}

/**
 * The popover's headline: what is wrong, by name when few, else how many of how many ("2 of 5 down"); "All OK" when
 * nothing is. It counts every watched item (services and supervised processes); `overallCount` says which is which.
 */
export function overallHeadline(
  color: 'green' | 'yellow' | 'red',
  services: Array<{ name: string; status: ServiceColor }>,
): string {
  const watched = services.filter((s) => s.status !== 'not-installed');
  if (watched.length === 0) return 'Nothing watched yet';
  const down = watched.filter((s) => s.status === 'red').map((s) => s.name);
  const degraded = watched.filter((s) => s.status === 'yellow').map((s) => s.name);
  const say = (names: string[], what: string) =>
    names.length <= 2
      ? `${names.join(' and ')} ${names.length === 1 ? 'is' : 'are'} ${what}`
      : `${names.length} of ${watched.length} ${what}`;
  if (down.length) return say(down, 'down');
  if (degraded.length) return say(degraded, 'degraded');
  return color === 'green' ? 'All OK' : color === 'red' ? 'Something is down' : 'Something needs attention';
}

/** "4 processes · 1 service": what the headline counts, each by its own noun. */
export function overallCount(services: Array<{ kind: string; status: ServiceColor }>): string {
  const watched = services.filter((s) => s.status !== 'not-installed');
  const p = watched.filter((s) => s.kind === 'process').length;
  const s = watched.length - p;
  const parts = [
    p ? `${p} ${p === 1 ? 'process' : 'processes'}` : null,
    s ? `${s} ${s === 1 ? 'service' : 'services'}` : null,
  ].filter(Boolean);
  return parts.length ? `${parts.join(' · ')} watched` : '';
}
