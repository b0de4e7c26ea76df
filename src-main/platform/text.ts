/** Small text helpers shared by the command-output parsers. */

/** Non-empty lines, trailing whitespace removed, CRLF tolerated. */
export function lines(raw: string): string[] {
  return raw
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '');
}

/** Splits a line on runs of whitespace into at most `max` fields; the last field keeps the rest of the line. */
export function fields(line: string, max = Infinity): string[] {
  const out: string[] = [];
  let rest = line.trim();
  while (rest !== '' && out.length < max - 1) {
    const m = /^(\S+)\s*/.exec(rest)!;
    out.push(m[1]!);
    rest = rest.slice(m[0].length);
  }
  if (rest !== '') out.push(rest);
  return out;
}

/** Splits "host:port", "[v6]:port", "v6.port" (BSD) style endpoints; the port is a number or null for "*". */
export function splitEndpoint(text: string, separator: ':' | '.' = ':'): { address: string; port: number | null } {
  const bracket = /^\[(.*)\]:(\d+|\*)$/.exec(text);
  if (bracket) return { address: bracket[1]!, port: bracket[2] === '*' ? null : Number(bracket[2]) };
  const at = text.lastIndexOf(separator);
  if (at < 0) return { address: text, port: null };
  const port = text.slice(at + 1);
  return { address: text.slice(0, at), port: /^\d+$/.test(port) ? Number(port) : null };
}
