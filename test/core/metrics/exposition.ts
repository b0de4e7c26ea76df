/**
 * A strict parser of the Prometheus text exposition format (0.0.4), enough to check Sentinel's output:
 * every line is a # HELP, a # TYPE or a sample `name{label="v",…} value`; anything else is an error.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  samples: Sample[];
  types: Map<string, string>;
  help: Map<string, string>;
}

// Values are Go ParseFloat syntax: NaN and Inf case-insensitively (prom-client writes "Nan").
const SAMPLE =
  /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? ([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?|[+-]?inf|nan)(?: -?\d+)?$/i;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/gy;

export function parseExposition(text: string): Exposition {
  const out: Exposition = { samples: [], types: new Map(), help: new Map() };
  text.split('\n').forEach((line, i) => {
    if (line === '') return;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
    if (meta) {
      if (meta[1] === 'TYPE' && !['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(meta[3]!))
        throw new Error(`line ${i + 1}: bad type ${meta[3]}`);
      (meta[1] === 'TYPE' ? out.types : out.help).set(meta[2]!, meta[3]!);
      return;
    }
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`line ${i + 1}: not a sample: ${line}`);
    const labels: Record<string, string> = {};
    if (m[2]) {
      LABEL.lastIndex = 0;
      let l: RegExpExecArray | null;
      let consumed = 0;
      while ((l = LABEL.exec(m[2])) !== null) {
        labels[l[1]!] = l[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
        consumed = LABEL.lastIndex;
      }
      if (consumed !== m[2].length) throw new Error(`line ${i + 1}: bad labels: ${m[2]}`);
    }
    out.samples.push({ name: m[1]!, labels, value: parseValue(m[3]!) });
  });
  return out;
}

/** The value of the one sample with this name whose labels include `labels`; throws when not exactly one. */
export function valueOf(e: Exposition, name: string, labels: Record<string, string> = {}): number {
  const hits = e.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (hits.length !== 1) throw new Error(`${hits.length} samples of ${name} ${JSON.stringify(labels)}`);
  return hits[0]!.value;
}

function parseValue(v: string): number {
  const l = v.toLowerCase();
  if (l === 'nan') return NaN;
  if (l.endsWith('inf')) return l.startsWith('-') ? -Infinity : Infinity;
  return Number(v);
}
