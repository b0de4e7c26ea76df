/**
 * The one validation of a log grep (a JavaScript regular expression): the CLI checks `--grep` with it before
 * asking the daemon, and the store's log query with it before SQLite runs it.
 */
import { SentinelError } from './errors';

/** The pattern compiled, or a bad_request SentinelError naming the field. */
export function compileGrep(pattern: string, field = 'grep'): RegExp {
  try {
    return new RegExp(pattern);
  } catch (err) {
    throw new SentinelError('bad_request', `${field}: expected a regular expression, ${(err as Error).message}`, field);
  }
}
