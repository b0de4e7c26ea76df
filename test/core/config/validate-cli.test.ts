/** `sentinel config validate` on the values of issue 13: exit 2, one line per bad value with its path and line. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, CLI_MISSING, isolatedEnv } from '../../helpers/cli-harness';
import { tempDir } from '../../helpers/tmp';

const BAD = `processes:
  - name: a
    command: "true"
    schedule: { cron: "not a cron" }
  - name: b
    command: "true"
    schedule: { cron: "99 * * * *" }
  - name: c
    command: "true"
    schedule: { cron: "0 3 * * *", timezone: Mars/Olympus }
services:
  - name: s
    checks:
      - { type: http, url: "localhost:8080" }
      - { type: http, url: "ftp://x/" }
      - { type: tcp, port: 80, interval: 0 }
`;

describe.skipIf(CLI_MISSING)('sentinel config validate', () => {
  const tmp = tempDir();
  afterAll(tmp.cleanup);
  const env = isolatedEnv(tmp.dir);

  it('exits 2 naming the path and line of each bad value', async () => {
    const file = join(tmp.dir, 'bad.yaml');
    writeFileSync(file, BAD);
    const r = await cli(['config', 'validate', file], env);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    for (const [path, line] of [
      ['processes[0].schedule.cron', 4],
      ['processes[1].schedule.cron', 7],
      ['processes[2].schedule.timezone', 10],
      ['services[0].checks[0].url', 14],
      ['services[0].checks[1].url', 15],
      ['services[0].checks[2].interval', 16],
    ] as const)
      expect(
        lines.some((l) => l.startsWith(`${file}: ${path}: `) && l.endsWith(`(line ${line})`)),
        `${path} in\n${r.stderr}`,
      ).toBe(true);
  });

  it('says valid, and exits 0, for a Unicode-named process', async () => {
    const file = join(tmp.dir, 'ok.yaml');
    writeFileSync(file, 'processes:\n  - { name: test_öäü, command: /bin/true }\n');
    const r = await cli(['config', 'validate', file], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${file}: valid (1 processes, 0 services)\n`);
  });
});
