/**
 * supervisord's INI dialect (Python 3 ConfigParser as supervisord 4 sets it up): `[section]`, `key = value` or
 * `key: value`, `;` and `#` comment lines, inline `;`/`#` comments after whitespace, and continuation lines — a line
 * indented deeper than the key that started the value (an option indented like its neighbours is its own key, as
 * in Python), and `%(name)s` interpolation (ENV_X plus per-section names such as program_name and here). Pure.
 */
export interface IniSection {
  name: string;
  line: number;
  values: Record<string, string>;
  /** The file the section came from (for %(here)s and [include] paths); set by the reader. */
  file?: string;
}

export function parseSupervisordIni(text: string): IniSection[] {
  const sections: IniSection[] = [];
  let cur: IniSection | undefined;
  let lastKey: string | undefined;
  let keyIndent = 0;
  text.split(/\r?\n/).forEach((raw, i) => {
    const indent = /^[ \t]*/.exec(raw)![0].length;
    if (/^\s*$/.test(raw)) return;
    if (/^\s*[;#]/.test(raw)) return;
    if (cur && lastKey && indent > keyIndent) {
      const more = stripInlineComment(raw).trim();
      if (more) cur.values[lastKey] = cur.values[lastKey] ? `${cur.values[lastKey]}\n${more}` : more;
      return;
    }
    const sec = /^\s*\[([^\]]+)\]\s*(?:[;#].*)?$/.exec(raw);
    if (sec) {
      cur = { name: sec[1]!.trim(), line: i + 1, values: {} };
      sections.push(cur);
      lastKey = undefined;
      return;
    }
    const kv = /^\s*([^=:\s][^=:]*?)\s*[=:]\s*(.*)$/.exec(raw);
    if (!kv || !cur)
      throw new Error(`line ${i + 1}: expected "[section]" or "key = value", got ${JSON.stringify(raw.trim())}`);
    lastKey = kv[1]!.toLowerCase();
    keyIndent = indent;
    cur.values[lastKey] = stripInlineComment(kv[2]!).trim();
  });
  return sections;
}

/** supervisord 4 passes inline_comment_prefixes=(';', '#'): a comment starts at whitespace followed by either. */
function stripInlineComment(v: string): string {
  return v.replace(/(^|\s)[;#].*$/, '');
}

/**
 * Expands `%(name)s` / `%(name)d` and `%%`. Unknown names are left as written and reported through `unknown`.
 */
export function interpolate(
  value: string,
  vars: Record<string, string | undefined>,
  unknown: (name: string) => void,
): string {
  // Python %-formatting as supervisord uses it: %(name)s, %(name)d, %(name)02d (zero-padded width).
  return value.replace(
    /%%|%\(([^)]+)\)(0?)(\d*)([sd])/g,
    (m, name: string | undefined, zero: string, width: string) => {
      if (m === '%%') return '%';
      const v = vars[name!];
      if (v === undefined) {
        unknown(name!);
        return m;
      }
      return width ? v.padStart(Number(width), zero ? '0' : ' ') : v;
    },
  );
}

/** supervisord `environment=A="1",B=two` → { A: '1', B: 'two' } (commas inside quotes kept). */
export function parseEnvironment(value: string): Record<string, string> {
  const env: Record<string, string> = {};
  const re = /\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*("(?:[^"\\]|\\.)*"|'[^']*'|[^,"']*)\s*(?:,|$)/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while (consumed < value.length && (m = re.exec(value)) !== null) {
    const raw = m[2]!.trim();
    env[m[1]!] = /^["']/.test(raw) ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
    consumed = re.lastIndex;
    if (m[0] === '') break;
  }
  if (value.slice(consumed).trim()) throw new Error(`expected KEY="value",KEY2=value2, got ${JSON.stringify(value)}`);
  return env;
}
