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

/**
 * The longest run of plain characters every match of `pattern` must contain (at least 3), or undefined when the
 * pattern has none that is certain: alternation anywhere, or only classes, groups and escapes. The store checks
 * it with SQLite's native instr() before running the pattern, so a rare grep does not call into JavaScript for
 * every row. Conservative: runs inside groups or before a quantifier that makes a character optional are left out.
 */
export function grepLiteral(pattern: string): string | undefined {
  if (pattern.includes('|')) return undefined;
  const runs: string[] = [];
  let run = '';
  let depth = 0;
  const end = () => {
    if (depth === 0 && run.length > 0) runs.push(run);
    run = '';
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[++i];
      // \d, \w, \b, \n, \x41 … are not the character itself; \. \( \/ … are.
      if (next === undefined || /[0-9A-Za-z]/.test(next)) end();
      else if (depth === 0) run += next;
      continue;
    }
    if (c === '?' || c === '*' || c === '{') {
      // The character before is optional (or repeated from zero): not certain.
      run = run.slice(0, -1);
      end();
      continue;
    }
    if (c === '[') {
      end();
      for (i++; i < pattern.length && pattern[i] !== ']'; i++) if (pattern[i] === '\\') i++;
      continue;
    }
    if (c === '(') {
      end();
      depth++;
      continue;
    }
    if (c === ')') {
      end();
      depth = Math.max(0, depth - 1);
      continue;
    }
    if ('.^$+]}'.includes(c)) {
      end();
      continue;
    }
    if (depth === 0) run += c;
  }
  end();
  const longest = runs.reduce((a, b) => (b.length > a.length ? b : a), '');
  return longest.length >= 3 ? longest : undefined;
}
