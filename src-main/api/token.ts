/** The one comparison of a client's token with the run's token, for every transport that checks one. */
import { timingSafeEqual } from 'node:crypto';

/** Compares in constant time (for equal lengths), so timing does not reveal how much of a guess was right. */
export function tokenMatches(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
