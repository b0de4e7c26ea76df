/**
 * The one line splitter: a byte (or text) stream in, whole lines out. Used for children's stdout/stderr (long lines
 * cut into pieces) and for the Unix socket's JSON lines (a line over the limit is an error, not cut).
 */

/** Longer log lines are cut into pieces of this many characters, so one runaway line cannot hold memory hostage. */
export const MAX_LINE = 16 * 1024;

/** Splits a stream into lines: keeps a partial line across chunks, drops the \r of CRLF, cuts lines over `maxLine`. */
export class LineSplitter {
  private partial = '';
  // A decoder, so a multi-byte character split across two chunks is not turned into two replacement characters.
  private readonly decoder = new TextDecoder('utf-8');

  constructor(private readonly maxLine = MAX_LINE) {}

  /** The characters of an unfinished line held since the last newline. */
  get pending(): number {
    return this.partial.length;
  }

  push(chunk: Uint8Array | string): string[] {
    const text = this.partial + (typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true }));
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    const lines: string[] = [];
    for (const p of parts) this.pushCut(lines, p.endsWith('\r') ? p.slice(0, -1) : p);
    while (this.partial.length > this.maxLine) {
      lines.push(this.partial.slice(0, this.maxLine));
      this.partial = this.partial.slice(this.maxLine);
    }
    return lines;
  }

  /** The last line when the stream ended without a newline. */
  end(): string[] {
    const rest = this.partial + this.decoder.decode();
    this.partial = '';
    const lines: string[] = [];
    if (rest !== '') this.pushCut(lines, rest);
    return lines;
  }

  private pushCut(out: string[], line: string): void {
    if (line.length <= this.maxLine) out.push(line);
    else for (let i = 0; i < line.length; i += this.maxLine) out.push(line.slice(i, i + this.maxLine));
  }
}
