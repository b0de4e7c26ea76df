/**
 * Fuzzing the config loader (fast-check, fixed seed, bounded runs): whatever text arrives — from a file, from
 * `config.apply`, from an importer — the answer is a Config or a ConfigError whose every issue names a path and
 * says what was expected. Never another exception type, never a hang.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ConfigError, KNOWN_KEYS, loadConfigText } from '../../src-main/core/config/load';

const SEED = 20261123;
const RUNS = Number(process.env.RELI_FUZZ_RUNS ?? '300');

/** Either a Config or a well-formed ConfigError; anything else fails the property with the offending input. */
function loadsOrExplains(text: string): void {
  try {
    loadConfigText(text, 'fuzz');
  } catch (err) {
    if (!(err instanceof ConfigError)) throw new Error(`not a ConfigError: ${(err as Error)?.stack ?? String(err)}`);
    expect(err.issues.length).toBeGreaterThan(0);
    for (const issue of err.issues) {
      expect(typeof issue.path).toBe('string');
      expect(issue.message.length).toBeGreaterThan(0);
    }
    expect(err.message).toContain('invalid config fuzz');
  }
}

const KEYS = KNOWN_KEYS;
const scalar = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(
    '1s',
    '-5m',
    '1h30m',
    '500MB',
    '90%',
    'SIGTERM',
    'KILL',
    'always',
    'never',
    'http://x',
    '*/5 * * * *',
    '1e309',
    'NaN',
  ),
);
/** Objects shaped like config nodes: known keys with plausible and implausible values, nested a few levels. */
const { node } = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('node'), { maxKeys: 6 }),
  ),
}));
const configLike = fc.record(
  {
    version: fc.oneof(fc.constant(1), scalar),
    settings: fc.dictionary(
      fc.constantFrom('logs', 'api', 'log_level', 'upstream', 'retention', 'dry_run', 'wake_grace'),
      node,
      { maxKeys: 4 },
    ),
    processes: fc.array(fc.dictionary(fc.constantFrom(...KEYS), node, { maxKeys: 8 }), { maxLength: 4 }),
    services: fc.array(
      fc.dictionary(
        fc.constantFrom('name', 'process', 'restart', 'checks', 'rules', 'recovery', 'installed_if'),
        node,
        { maxKeys: 5 },
      ),
      { maxLength: 3 },
    ),
  },
  { requiredKeys: [] },
);

describe('config loader under fuzz', () => {
  it('answers arbitrary text with a Config or a ConfigError', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), loadsOrExplains), {
      seed: SEED,
      numRuns: RUNS,
    });
  });

  it('answers arbitrary YAML values', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => loadsOrExplains(stringify(v))),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('answers config-shaped documents with wrong and right values', () => {
    let accepted = 0;
    fc.assert(
      fc.property(configLike, (c) => {
        loadsOrExplains(stringify(c));
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // A generator that only produced garbage would test one branch; count the documents that loaded.
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ name: fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/), command: fc.constantFrom('/bin/true', 'node') }),
          { maxLength: 5 },
        ),
        (ps) => {
          try {
            loadConfigText(stringify({ processes: ps.map((p, i) => ({ ...p, name: `${p.name}${i}` })) }));
            accepted++;
          } catch (err) {
            if (!(err instanceof ConfigError)) throw err;
          }
        },
      ),
      { seed: SEED, numRuns: 50 },
    );
    expect(accepted).toBe(50);
  });

  it.each([
    [
      'alias bomb',
      'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n',
    ],
    ['duplicate keys', 'processes: []\nprocesses: []\n'],
    ['a tab indent', 'processes:\n\t- name: a\n'],
    ['a NUL byte', 'processes: [{name: "a\0", command: x}]\n'],
    ['a 100k-deep flow', `${'['.repeat(2000)}${']'.repeat(2000)}`],
    ['binary', '\u0000\u0001\u0002\uffff\ud800'],
    ['a huge number', 'processes: [{name: a, command: x, restart: {delay: 1e400}}]\n'],
    ['prototype keys', 'processes: [{name: a, command: x, __proto__: {polluted: true}, constructor: 1}]\n'],
  ])('answers %s', (_what, text) => {
    loadsOrExplains(text);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
