/**
 * Reads supervisord config files and every file their `[include] files=` pull in, as supervisord does: the
 * patterns are space-separated globs (`*`, `?`, `[...]`), relative to the directory of the file that includes
 * them, expanded in sorted order; a file included twice is read once. Each section remembers its file (for
 * %(here)s). Node 20 has no fs.glob, and these patterns only ever glob within path segments, so a small matcher
 * per segment does.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { ImportError } from './import-result';
import { parseSupervisordIni, type IniSection } from './supervisord-ini';

export interface SupervisordFiles {
  sections: IniSection[];
  /** Every file read, in order. */
  files: string[];
  warnings: string[];
}

export function readSupervisordFiles(
  paths: readonly string[],
  readText: (file: string) => string = (f) => readFileSync(f, 'utf8'),
): SupervisordFiles {
  const out: SupervisordFiles = { sections: [], files: [], warnings: [] };
  const seen = new Set<string>();
  const visit = (file: string, depth: number) => {
    const abs = resolve(file);
    if (seen.has(abs)) return;
    seen.add(abs);
    if (depth > 10) throw new ImportError(abs, 'includes nested more than 10 deep');
    let text: string;
    try {
      text = readText(abs);
    } catch (err) {
      throw new ImportError(abs, `cannot read the file: ${(err as Error).message}`);
    }
    let sections: IniSection[];
    try {
      sections = parseSupervisordIni(text);
    } catch (err) {
      throw new ImportError(abs, (err as Error).message);
    }
    out.files.push(abs);
    for (const sec of sections) {
      sec.file = abs;
      if (sec.name !== 'include') {
        out.sections.push(sec);
        continue;
      }
      for (const pattern of (sec.values.files ?? '').split(/\s+/).filter(Boolean)) {
        const full = isAbsolute(pattern) ? pattern : join(dirname(abs), pattern);
        const matches = glob(full);
        if (matches.length === 0) out.warnings.push(`[include] in ${abs}: ${pattern} matches no file`);
        for (const m of matches) visit(m, depth + 1);
      }
    }
  };
  for (const p of paths) visit(p, 0);
  return out;
}

const MAGIC = /[*?[]/;

/** Files matching an absolute pattern whose segments may hold `*`, `?` and `[...]`; sorted. */
export function glob(pattern: string): string[] {
  const parts = resolve(pattern).split(sep).filter(Boolean);
  let bases: string[] = [sep];
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1;
    const next: string[] = [];
    for (const base of bases) {
      if (!MAGIC.test(part)) {
        next.push(join(base, part));
        continue;
      }
      let names: string[];
      try {
        names = readdirSync(base);
      } catch {
        continue;
      }
      const re = segmentRegExp(part);
      for (const n of names.sort())
        if (re.test(n) && (part.startsWith('.') || !n.startsWith('.'))) next.push(join(base, n));
    }
    bases = last ? next : next.filter(isDir);
  }
  return bases.filter(isFile);
}

function segmentRegExp(part: string): RegExp {
  let re = '';
  for (let i = 0; i < part.length; i++) {
    const c = part[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = part.indexOf(']', i + 2);
      if (end === -1) re += '\\[';
      else {
        const body = part
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = end;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};
const isFile = (p: string) => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};
