/**
 * Reads a PM2 ecosystem file the way PM2 does (`Common.parseConfig`): `.js/.cjs/.mjs` are real Node modules —
 * `require('path')`, `__dirname`, `process.env.PORT || 3000`, `module.exports` or `export default` all work —
 * `.json` is evaluated as a JavaScript expression (so JSON5-ish files with comments load, as in PM2), and
 * `.yaml/.yml` is YAML.
 *
 * A module is evaluated in a separate Node process (never in ours): with the file's directory as cwd, the
 * importing user's environment (PM2 evaluates it with the same), a hard timeout, and the exported value handed
 * back as JSON on fd 3 — so whatever the file prints, starts or leaves running cannot reach Sentinel, and a file
 * that never finishes is killed. It is still code from that file, run as the user: import files you trust.
 */
import { spawnSync } from 'node:child_process';
import { dirname, extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ImportError } from './import-result';

export const ECOSYSTEM_TIMEOUT_MS = 10_000;

/** Runs in the child: loads the module, unwraps ESM namespaces and `default`, writes JSON to fd 3. */
const LOADER = String.raw`
const fs = require('node:fs');
const { pathToFileURL } = require('node:url');
const [file, kind] = process.argv.slice(1);
const load = async () => {
  if (kind === 'json') return require('node:vm').runInThisContext('(' + fs.readFileSync(file, 'utf8') + '\n)', { filename: file });
  if (kind === 'mjs') return import(pathToFileURL(file).href);
  try {
    return require(file);
  } catch (err) {
    if (err && /^ERR_REQUIRE_(ESM|ASYNC_MODULE)$/.test(err.code)) return import(pathToFileURL(file).href);
    throw err;
  }
};
load().then(
  (value) => {
    if (value && Object.prototype.toString.call(value) === '[object Module]')
      value = value.default !== undefined ? value.default : { ...value };
    if (value && typeof value === 'object' && value.__esModule && value.default !== undefined) value = value.default;
    fs.writeSync(3, JSON.stringify(value === undefined ? null : value));
    process.exit(0);
  },
  (err) => {
    process.stderr.write('\u0000' + String((err && err.stack) || err));
    process.exit(1);
  },
);
`;

export type EcosystemKind = 'js' | 'mjs' | 'json' | 'yaml';

export function ecosystemKind(file: string): EcosystemKind {
  const ext = extname(file).toLowerCase();
  if (ext === '.mjs') return 'mjs';
  if (ext === '.json' || ext === '.json5') return 'json';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  return 'js';
}

/** The value the ecosystem file exports (before any PM2 meaning is given to it). */
export function readEcosystemFile(
  file: string,
  text: string,
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): unknown {
  const kind = ecosystemKind(file);
  if (kind === 'yaml') {
    try {
      return parseYaml(text);
    } catch (err) {
      throw new ImportError(file, `not valid YAML: ${(err as Error).message}`);
    }
  }
  if (kind === 'json') {
    try {
      return JSON.parse(text);
    } catch {
      // PM2 evaluates .json as a JavaScript expression: comments and trailing commas are fine there.
    }
  }
  return evaluateModule(resolve(file), kind, opts);
}

function evaluateModule(
  file: string,
  kind: EcosystemKind,
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number },
): unknown {
  const timeout = opts.timeoutMs ?? ECOSYSTEM_TIMEOUT_MS;
  const ran = spawnSync(process.execPath, ['-e', LOADER, file, kind], {
    cwd: dirname(file),
    // Under Electron, execPath is the app: ELECTRON_RUN_AS_NODE makes it a plain Node.
    env: { ...(opts.env ?? process.env), ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    encoding: 'utf8',
    timeout,
    killSignal: 'SIGKILL',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (ran.error && (ran.error as NodeJS.ErrnoException).code === 'ETIMEDOUT')
    throw new ImportError(file, `evaluating the ecosystem file took longer than ${timeout / 1000}s; stopped`);
  if (ran.error) throw new ImportError(file, `cannot evaluate: ${ran.error.message}`);
  const stderr = String(ran.output[2] ?? '');
  if (ran.status !== 0 || ran.signal) {
    const why = stderr.includes('\u0000') ? stderr.slice(stderr.lastIndexOf('\u0000') + 1) : stderr;
    const first =
      why.split('\n').find((l) => /\w/.test(l) && !/^\s+at /.test(l)) ?? `exited ${ran.status ?? ran.signal}`;
    throw new ImportError(file, `cannot evaluate: ${first.trim()}`);
  }
  const out = String(ran.output[3] ?? '');
  if (!out) throw new ImportError(file, 'cannot evaluate: the file exited before exporting anything');
  return JSON.parse(out) as unknown;
}
