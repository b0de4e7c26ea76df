/** Counting newline-terminated lines in a growing file incrementally, so polling a 60 MB log stays cheap. */
import { closeSync, openSync, readSync, statSync } from 'node:fs';

export class LineCounter {
  private offset = 0;
  private lines = 0;
  private readonly buf = Buffer.allocUnsafe(1 << 20);

  constructor(private readonly file: string) {}

  /** Lines in the file now; reads only what was appended since the last call. Missing file = 0 lines. */
  count(): number {
    let size: number;
    try {
      size = statSync(this.file).size;
    } catch {
      return this.lines;
    }
    if (size < this.offset) {
      // Truncated or rotated under us: start over rather than report a wrong total.
      this.offset = 0;
      this.lines = 0;
    }
    if (size === this.offset) return this.lines;
    const fd = openSync(this.file, 'r');
    try {
      while (this.offset < size) {
        const n = readSync(fd, this.buf, 0, Math.min(this.buf.length, size - this.offset), this.offset);
        if (n <= 0) break;
        for (let i = this.buf.indexOf(10); i >= 0 && i < n; i = this.buf.indexOf(10, i + 1)) this.lines++;
        this.offset += n;
      }
    } finally {
      closeSync(fd);
    }
    return this.lines;
  }
}
