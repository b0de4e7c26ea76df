/**
 * Splits a command line into argv the way POSIX sh would for words and quotes (no expansion, no operators),
 * as supervisord does with shlex — Sentinel then spawns it without a shell. Pure.
 */
export function splitCommandLine(line: string): string[] {
  const args: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else cur += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) cur += line[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) args.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unterminated ${quote} quote in ${JSON.stringify(line)}`);
  if (inWord) args.push(cur);
  return args;
}

/** Shell operators a spawn without a shell would pass as plain arguments. */
export function needsShell(line: string): boolean {
  return /(^|\s)(\||\|\||&&|;|>|>>|<|2>&1)(\s|$)|\$\(|`/.test(line);
}
