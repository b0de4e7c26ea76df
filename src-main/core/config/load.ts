/**
 * YAML → Config. Every problem becomes one `ConfigIssue` naming its path (`processes[2].restart.delay`), what
 * was expected and, when the YAML node can be found, its line — so a person can fix the file without guessing.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { z } from 'zod';
import { ConfigSchema, type Config } from './schema';

export interface ConfigIssue {
  /** `processes[2].restart.delay`; empty for a problem with the whole file. */
  path: string;
  message: string;
  line?: number;
}

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly issues: ConfigIssue[],
  ) {
    super(`invalid config ${source}:\n${issues.map(formatIssue).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** One human line per issue: `processes[2].restart.delay: expected a duration …, got "soon" (line 14)`. */
export function formatIssue(issue: ConfigIssue): string {
  const where = issue.path ? `${issue.path}: ` : '';
  return `${where}${issue.message}${issue.line !== undefined ? ` (line ${issue.line})` : ''}`;
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
    '',
  );
}

/** `~` and `~/x` mean the home dir, as in a shell; nothing else is expanded (no $VARS: spawn has no shell). */
export function expandHome(path: string, home: string = homedir()): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return join(home, path.slice(2));
  return path;
}

export function loadConfigFile(file: string): Config {
  return loadConfigText(readConfigText(file), file);
}

/** The file's text; an unreadable file is a ConfigError like any other problem with it. */
export function readConfigText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [{ path: '', message: `cannot read the file: ${(err as Error).message}` }]);
  }
}

/** Parses and validates a YAML text; `source` names it in errors (a file path, "config.apply" …). */
export function loadConfigText(text: string, source = '(text)'): Config {
  const lines = new LineCounter();
  const { doc, raw } = parseYaml(text, source, lines);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(source, [
      { path: '', message: 'expected a mapping with settings, processes and services at the top' },
    ]);
  }
  const parsed = ConfigSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw new ConfigError(source, issuesOf(parsed.error, doc, lines));
  return resolvePaths(parsed.data);
}

/**
 * YAML text → plain value. The yaml library throws (rather than reporting) for some hostile inputs — an alias
 * bomb (ReferenceError past maxAliasCount), nesting deep enough to exhaust the stack — and those must still be
 * a ConfigError: config.apply and hot reload feed untrusted text here, and the supervisor must stay up.
 */
function parseYaml(text: string, source: string, lines: LineCounter): { doc: Document; raw: unknown } {
  try {
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length > 0) {
      throw new ConfigError(
        source,
        doc.errors.map((e) => ({
          path: '',
          message: `YAML syntax: ${firstLine(e.message)}`,
          line: e.linePos?.[0]?.line,
        })),
      );
    }
    return { doc, raw: doc.toJS({ maxAliasCount: 100 }) ?? {} };
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(source, [
      { path: '', message: `cannot read the YAML: ${(err as Error)?.message ?? String(err)}` },
    ]);
  }
}

/** The yaml library appends " at line 3, column 5:" and a code excerpt; the line is reported separately. */
function firstLine(text: string): string {
  return (text.split('\n')[0] ?? text).replace(/ at line \d+, column \d+:?$/, '');
}

function issuesOf(err: z.ZodError, doc: Document, lines: LineCounter): ConfigIssue[] {
  return err.issues.flatMap((issue) => {
    const base = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    // An unknown key is reported at the key itself, one issue per key, so each gets its own line.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: formatPath([...base, key]),
        message: `unknown key "${key}"${suggestion(key)}`,
        line: lineOf(doc, lines, [...base, key], true),
      }));
    }
    return [{ path: formatPath(base), message: describe(issue), line: lineOf(doc, lines, base, false) }];
  });
}

/** zod's default messages say "Invalid input: expected number, received string"; say what was there instead. */
function describe(issue: z.core.$ZodIssue): string {
  const got = issue.input === undefined ? '' : `, got ${JSON.stringify(issue.input)}`;
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? `missing; expected ${issue.expected}` : `expected ${issue.expected}${got}`;
    case 'too_small':
    case 'too_big':
      return `${issue.message.replace(/^Too (small|big): /, '')}${got}`;
    case 'invalid_union':
      return 'discriminator' in issue && issue.discriminator === 'type'
        ? `expected type to be one of ${CHECK_TYPES.join(', ')}, got ${JSON.stringify((issue.input as { type?: unknown } | undefined)?.type)}`
        : `${issue.message.replace(/^Invalid input/, 'unexpected value')}${got}`;
    case 'invalid_value':
      return `${issue.message.replace(/^Invalid (input|option): /, '')}${got}`;
    default:
      return issue.message.replace(/^Invalid input: /, '');
  }
}

const CHECK_TYPES = ['process', 'http', 'tcp', 'dns', 'internet', 'command', 'netbird'];

/** For a misspelt key, the allowed keys next to it: mistakes like `restart.dealy` then explain themselves. */
function suggestion(key: string): string {
  const close = KNOWN_KEYS.filter((k) => k !== key && editDistance(k, key) <= 2);
  return close.length ? ` (did you mean "${close[0]}"?)` : '';
}

/** Every key the config schema knows, at any depth (the fuzz test draws its keys from here too). */
export const KNOWN_KEYS = [
  'version',
  'settings',
  'processes',
  'services',
  'name',
  'command',
  'args',
  'shell',
  'cwd',
  'env',
  'autostart',
  'group',
  'restart',
  'stop',
  'schedule',
  'limits',
  'checks',
  'logs',
  'policy',
  'delay',
  'backoff',
  'max_delay',
  'jitter',
  'give_up',
  'max_retries',
  'window',
  'reset_after',
  'retry_after',
  'start_secs',
  'exit_codes',
  'signal',
  'timeout',
  'interval',
  'retries',
  'upstream',
  'type',
  'process',
  'match',
  'url',
  'installed_if',
  'recovery',
  'rules',
  'hostname',
  'port',
  'host',
];

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j]!;
      row[j] = next;
    }
  }
  return row[b.length]!;
}

/** The line of the YAML node at `path`, or of its nearest existing ancestor (a missing field points at its parent). */
function lineOf(doc: Document, lines: LineCounter, path: (string | number)[], atKey: boolean): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const prefix = path.slice(0, n);
    const offset = atKey && n === path.length ? keyOffset(doc, prefix) : nodeOffset(doc, prefix);
    if (offset !== undefined) return lines.linePos(offset).line;
  }
  return undefined;
}

function nodeOffset(doc: Document, path: (string | number)[]): number | undefined {
  const node = path.length === 0 ? doc.contents : doc.getIn(path, true);
  return isNode(node) && node.range ? node.range[0] : undefined;
}

/** An unknown key has no value worth pointing at (it may be null); point at the key. */
function keyOffset(doc: Document, path: (string | number)[]): number | undefined {
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  const key = path[path.length - 1];
  if (!parent || typeof parent !== 'object' || !('items' in parent)) return undefined;
  for (const item of (parent as { items: unknown[] }).items) {
    const k = (item as { key?: unknown }).key;
    if (isNode(k) && (k as { value?: unknown }).value === key && k.range) return k.range[0];
  }
  return undefined;
}

/** cwd may start with `~`; a relative cwd stays relative (to Sentinel's own cwd), as the user wrote it. */
function resolvePaths(config: Config): Config {
  return {
    ...config,
    processes: config.processes.map((p) => (p.cwd !== undefined ? { ...p, cwd: expandHome(p.cwd) } : p)),
  };
}
