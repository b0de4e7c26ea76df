/**
 * Removes secrets from text before it leaves the machine (bug reports) or lands in logs. Two sources:
 * the values of environment variables whose names say they are secret (replaced wherever they appear), and
 * well-known shapes (bearer tokens, Authorization headers, passwords in URLs and query strings, private keys).
 * Pure; errs on the side of redacting too much.
 */

export const REDACTED = '[redacted]';

/** Variable or field names that hold secrets. */
export const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|KEY|AUTH|CREDENTIAL/i;

/**
 * Secret values shorter than this are not replaced in free text: a PASSWORD of "1" would otherwise turn every
 * "1" in the report into [redacted] and make it useless. Such values are still hidden in key/value positions.
 */
export const MIN_SECRET_LENGTH = 4;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Values of secret-named variables, unique and longest first (so a value containing another is replaced whole). */
export function secretValues(env: Record<string, string | undefined>): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value && isSecretName(name) && value.length >= MIN_SECRET_LENGTH) values.add(value);
  }
  return [...values].sort((a, b) => b.length - a.length);
}

/** The environment with secret-named values replaced. */
export function redactEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env))
    if (value !== undefined) out[name] = isSecretName(name) ? REDACTED : value;
  return out;
}

/**
 * Every pattern is anchored so the engine starts at most once per word (a lookbehind for "not a name
 * character" rather than \b, which also matches inside "a.b.c"): redaction runs over megabytes of logs and
 * must stay linear, never backtrack quadratically on a long run of name characters.
 */
const NAME = '[A-Za-z0-9_.-]';
const NAME_START = `(?<!${NAME})`;
/** A whole name that contains one of `words` (the lookahead stays inside the name). */
const nameWith = (words: string) => `${NAME_START}((?=${NAME}*?(?:${words}))${NAME}+)`;

const PATTERNS: Array<[RegExp, string | ((...m: string[]) => string)]> = [
  // PEM private keys, also when the log was cut before the END line.
  [
    /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY)-----[\s\S]*?(?:-----END \1-----|$)/g,
    (_m, kind) => `-----BEGIN ${kind}-----\n${REDACTED}\n-----END ${kind}-----`,
  ],
  // "Authorization: Basic …", "authorization": "Bearer …", Proxy-Authorization. The scheme is kept (it helps
  // debugging and is not secret); the credential ends at whitespace or a delimiter so table rows and JSON survive.
  [
    /(?<![A-Za-z0-9_-])((?:proxy-)?authorization"?\s*[:=]\s*"?)((?:basic|bearer|digest|token|negotiate|ntlm|apikey|aws4-hmac-sha256)\s+)?[^\s",;|}]+/gi,
    `$1$2${REDACTED}`,
  ],
  [/(?<![A-Za-z0-9_-])(bearer)\s+[A-Za-z0-9\-._~+/]+=*/gi, `$1 ${REDACTED}`],
  // scheme://user:password@host
  [/(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/[^\s:@/]+):[^\s@/]+@/gi, `$1:${REDACTED}@`],
  // password=…, api_key=…, GITHUB_TOKEN=… in query strings, command lines and env dumps.
  [
    new RegExp(`${nameWith('token|secret|password|passwd|pwd|key|auth|credential')}=([^&\\s#"',;]+)`, 'gi'),
    `$1=${REDACTED}`,
  ],
  // YAML / JSON fields: "password": "…", client_secret: …  (not bare "key:", which is too common in prose).
  [
    new RegExp(
      `${nameWith('token|secret|password|passwd|credential|api[_-]?key|private[_-]?key')}("?)(\\s*:\\s*)("?)[^\\s",}]+`,
      'gi',
    ),
    `$1$2$3$4${REDACTED}`,
  ],
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A redactor for a fixed set of secret values, with the literal-matching pattern built once: for callers that
 * redact many texts with the same secrets (every log line).
 */
export function createRedactor(secrets: readonly string[] = []): (text: string) => string {
  const literal = secrets.filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  const values = literal.length ? new RegExp(literal.map(escapeRegExp).join('|'), 'g') : null;
  return (text) => {
    let out = values ? text.replace(values, REDACTED) : text;
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement as string);
    return out;
  };
}

/** Redacts `text`; `secrets` are literal values to hide wherever they appear (see `secretValues`). */
export function redact(text: string, secrets: readonly string[] = []): string {
  return createRedactor(secrets)(text);
}

/** Deep redaction of structured data (configs, diagnostics): secret-named fields are hidden, strings redacted. */
export function redactValue(value: unknown, secrets: readonly string[] = []): unknown {
  if (typeof value === 'string') return redact(value, secrets);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = isSecretName(k) && (typeof v === 'string' || typeof v === 'number') ? REDACTED : redactValue(v, secrets);
    }
    return out;
  }
  return value;
}
