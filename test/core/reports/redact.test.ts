import { describe, expect, it } from 'vitest';
import {
  createRedactor,
  isSecretName,
  redact,
  redactEnv,
  redactValue,
  REDACTED,
  secretValues,
} from '../../../src-main/core/reports/redact';

describe('isSecretName', () => {
  it.each([
    ['GITHUB_TOKEN', true],
    ['NB_SETUP_KEY', true],
    ['db_password', true],
    ['MYSQL_PASSWD', true],
    ['AWS_SECRET_ACCESS_KEY', true],
    ['BASIC_AUTH', true],
    ['GOOGLE_APPLICATION_CREDENTIALS', true],
    ['PATH', false],
    ['HOME', false],
    ['NODE_ENV', false],
  ])('%s → %s', (name, secret) => expect(isSecretName(name)).toBe(secret));
});

describe('secretValues', () => {
  it('takes secret-named values, skips short ones and others, longest first, unique', () => {
    expect(
      secretValues({
        API_TOKEN: 'abcd1234',
        DB_PASSWORD: 'hunter2hunter2',
        OTHER_KEY: 'abcd1234',
        PIN_SECRET: '1',
        HOME: '/home/me',
        EMPTY_TOKEN: '',
        UNSET_KEY: undefined,
      }),
    ).toEqual(['hunter2hunter2', 'abcd1234']);
  });
});

describe('redact', () => {
  it.each([
    [
      'env value anywhere',
      'connect failed with token s3cr3t-v4lue in url',
      ['s3cr3t-v4lue'],
      `connect failed with token ${REDACTED} in url`,
    ],
    ['env value repeated and regex characters', 'a+b(c) and a+b(c)', ['a+b(c)'], `${REDACTED} and ${REDACTED}`],
    ['longest value wins', 'xxabcdefyy', ['abcd', 'abcdef'], `xx${REDACTED}yy`],
    ['bearer token', 'GET / with Bearer eyJhbGciOi.J9-_x+/= done', [], `GET / with Bearer ${REDACTED} done`],
    [
      'Authorization header',
      'Authorization: Basic dXNlcjpwYXNz\nnext line',
      [],
      `Authorization: Basic ${REDACTED}\nnext line`,
    ],
    [
      'Authorization without a scheme, in a table row',
      '| Authorization: s3cr3t | 5 ms |',
      [],
      `| Authorization: ${REDACTED} | 5 ms |`,
    ],
    [
      'authorization in JSON',
      '{"authorization": "Token abc", "x": 1}',
      [],
      `{"authorization": "Token ${REDACTED}", "x": 1}`,
    ],
    [
      'password in URL userinfo',
      'postgres://admin:pa55word@db.local:5432/app',
      [],
      `postgres://admin:${REDACTED}@db.local:5432/app`,
    ],
    [
      'password in query string',
      'https://h/api?user=me&password=pa55&x=1',
      [],
      `https://h/api?user=me&password=${REDACTED}&x=1`,
    ],
    ['api_key in query string', 'GET /v1?api_key=AKIA123#frag', [], `GET /v1?api_key=${REDACTED}#frag`],
    ['env-style assignment', 'export GITHUB_TOKEN=ghp_abc123 ok', [], `export GITHUB_TOKEN=${REDACTED} ok`],
    ['YAML field', 'client_secret: verysecret\nname: web', [], `client_secret: ${REDACTED}\nname: web`],
    ['JSON field', '{"db_password":"pw1234","port":5432}', [], `{"db_password":"${REDACTED}","port":5432}`],
    [
      'nothing secret',
      'GET /health 200 in 5ms; key: value; author Ann',
      [],
      'GET /health 200 in 5ms; key: value; author Ann',
    ],
    // Erring on the safe side: a field named like a secret is hidden even when its value looks harmless.
    ['secret-named field with a harmless value', 'tokens: 3', [], `tokens: ${REDACTED}`],
  ])('%s', (_name, text, secrets, expected) => expect(redact(text, secrets)).toBe(expected));

  it('replaces private key blocks, also when the END line was cut off', () => {
    const key =
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nQyNTUxOQAAACBmZXRjaA==\n-----END OPENSSH PRIVATE KEY-----';
    expect(redact(`before\n${key}\nafter`)).toBe(
      `before\n-----BEGIN OPENSSH PRIVATE KEY-----\n${REDACTED}\n-----END OPENSSH PRIVATE KEY-----\nafter`,
    );
    expect(redact('-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA')).toBe(
      `-----BEGIN RSA PRIVATE KEY-----\n${REDACTED}\n-----END RSA PRIVATE KEY-----`,
    );
  });

  it('is idempotent', () => {
    const once = redact('Authorization: Bearer abc password=x https://u:p@h token=t', ['abcd']);
    expect(redact(once, ['abcd'])).toBe(once);
  });

  it('ignores literal secrets too short to replace safely', () => {
    expect(redact('a 1 b', ['1'])).toBe('a 1 b');
  });
});

describe('redactEnv and redactValue', () => {
  it('hides secret-named env values only', () => {
    expect(redactEnv({ API_TOKEN: 'x', PATH: '/bin', U: undefined })).toEqual({ API_TOKEN: REDACTED, PATH: '/bin' });
  });

  it('walks configs: secret-named fields hidden, strings redacted, other values kept', () => {
    const config = {
      processes: [
        {
          name: 'web',
          command: 'node app.js --password=hunter22',
          env: { NB_SETUP_KEY: 'ABCD-1234', PORT: '8080' },
          retries: 3,
        },
      ],
      api: { token: 42, enabled: true },
      note: 'uses hunter22',
    };
    expect(redactValue(config, ['hunter22'])).toEqual({
      processes: [
        {
          name: 'web',
          command: `node app.js --password=${REDACTED}`,
          env: { NB_SETUP_KEY: REDACTED, PORT: '8080' },
          retries: 3,
        },
      ],
      api: { token: REDACTED, enabled: true },
      note: `uses ${REDACTED}`,
    });
  });
});

describe('redact on pathological input', () => {
  // Long runs of name characters are where a naive /\w*token\w*=/ backtracks quadratically (a 200 KB log line
  // took over a minute before the patterns were anchored); these finish in milliseconds, well inside the timeout.
  it.each([
    ['one long word', 'x'.repeat(1_000_000)],
    ['dotted run', 'a.'.repeat(500_000)],
    ['secret word repeated, no =', 'token'.repeat(200_000)],
    ['URL without @', `http://${'u'.repeat(1_000_000)}`],
  ])('%s: 1 MB comes back unchanged', (_name, text) => {
    expect(redact(text, ['tok_live_9f8e7d6c5b4a'])).toBe(text);
  });
});

describe('createRedactor', () => {
  it('gives the same result as redact, for many texts with one set of secrets', () => {
    const secrets = ['tok_live_9f8e7d6c5b4a', 'hunter22'];
    const redactor = createRedactor(secrets);
    for (const text of ['a tok_live_9f8e7d6c5b4a b', 'password=hunter22', 'Authorization: Bearer x', 'plain']) {
      expect(redactor(text)).toBe(redact(text, secrets));
    }
    expect(redactor('x hunter22 y')).toBe(`x ${REDACTED} y`);
  });
});
