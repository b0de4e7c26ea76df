/** Status as colour + shape + word (never colour alone): pure mappings shared by every view. */
import type { ProcessState, ServiceColor } from '../../../src-main/shared/contract';

export type Tone = 'green' | 'yellow' | 'red' | 'grey';

export function toneOfService(c: ServiceColor): Tone {
  return c === 'not-installed' || c === 'unknown' ? 'grey' : c;
}

export function toneOfProcess(s: ProcessState): Tone {
  switch (s) {
    case 'running':
      return 'green';
    case 'starting':
    case 'stopping':
    case 'backoff':
      return 'yellow';
    case 'fatal':
    case 'exited':
      return 'red';
    default:
      return 'grey';
  }
}

/** The word beside the symbol. */
export function wordOfService(c: ServiceColor): string {
  return { green: 'OK', yellow: 'Degraded', red: 'Down', 'not-installed': 'Not installed', unknown: 'Checking' }[c];
}

/** Overall line: "All 3 services OK" counts what it names. */
export function overallHeadline(
  color: 'green' | 'yellow' | 'red',
  services: Array<{ status: ServiceColor; kind: string }>,
): string {
  const watched = services.filter((s) => s.status !== 'not-installed');
  const n = watched.length;
  const noun = (k: number) => (k === 1 ? 'service' : 'services');
  if (n === 0) return 'Nothing watched yet';
  const down = watched.filter((s) => s.status === 'red').length;
  const degraded = watched.filter((s) => s.status === 'yellow').length;
  if (color === 'green') return n === 1 ? 'The service is OK' : `All ${n} ${noun(n)} OK`;
  if (down > 0) return `${down} of ${n} ${noun(n)} down`;
  if (degraded > 0) return `${degraded} of ${n} ${noun(n)} degraded`;
  return color === 'red' ? 'Something is down' : 'Something needs attention';
}
