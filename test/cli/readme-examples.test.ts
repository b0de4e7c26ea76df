/**
 * The README tells the truth about the CLI: every option its synopsis lists is one the command accepts, and the
 * quick tour (its config and every command) runs as written against a real daemon — which also shows a
 * Unicode-named process in every view: status, logs, failures and /metrics.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitCommandLine } from '../../src-main/core/importers/command-line';
import type { Snapshot } from '../../src-main/shared/contract';
import { apiInfo, cli, CLI_MISSING, Daemon, isolatedEnv } from '../helpers/cli-harness';
import { tempDir } from '../helpers/tmp';
import { waitFor } from '../helpers/wait';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The fenced blocks after a heading, in order: [info string, body]. */
function blocksAfter(heading: string): [string, string][] {
  const start = README.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README has no "${heading}"`);
  const next = README.indexOf('\n## ', start + heading.length + 2);
  const section = README.slice(start, next < 0 ? undefined : next);
  return [...section.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => [m[1]!, m[2]!]);
}

const sentinelLines = (body: string) =>
  body
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('sentinel '));

describe.skipIf(CLI_MISSING)('README: the CLI synopsis', () => {
  const synopsis = sentinelLines(blocksAfter('## CLI')[0]![1]);
  const tmp = tempDir('sentinel-readme-');
  const env = isolatedEnv(tmp.dir);
  afterAll(tmp.cleanup);

  it('lists the commands', () => expect(synopsis.length).toBeGreaterThan(8));

  /** A command's --help, plus the help of each of its subcommands (config validate|export|apply). */
  async function helpOf(command: string): Promise<string> {
    const top = await cli([command, '--help'], env);
    expect(top.code, `sentinel ${command} --help: ${top.stderr}`).toBe(0);
    const subs = [...(top.stdout.split(/^Commands:$/m)[1] ?? '').matchAll(/^ {2}(\w[\w-]*)/gm)].map((m) => m[1]!);
    const more = await Promise.all(subs.filter((s) => s !== 'help').map((s) => cli([command, s, '--help'], env)));
    return [top.stdout, ...more.map((r) => r.stdout)].join('\n');
  }

  it.each(synopsis.map((l) => [l]))('%s', async (line) => {
    // "sentinel start|stop|restart NAME | --group G | --all": each command of the first word, each --option.
    const commands = line.split(/\s+/)[1]!.split('|');
    const options = [...line.matchAll(/(?<![\w-])(--[a-z][a-z-]*)/g)].map((m) => m[1]!);
    for (const command of commands) {
      const help = await helpOf(command);
      for (const option of options) expect(help, `sentinel ${command} ${option}`).toContain(option);
    }
  });
});

describe.skipIf(CLI_MISSING)('README: the quick tour runs as written against a real daemon', () => {
  const blocks = blocksAfter('## A quick tour');
  const yaml = blocks.find(([info]) => info === 'yaml')![1];
  const commands = sentinelLines(blocks.find(([info]) => info === 'sh')![1]);
  const tmp = tempDir('sentinel-tour-');
  const dataDir = join(tmp.dir, 'data');
  const env = { ...isolatedEnv(join(tmp.dir, 'home')), SENTINEL_DATA_DIR: dataDir };
  const sentinel = (args: string[]) => cli(args, env);
  let daemon: Daemon;

  beforeAll(async () => {
    writeFileSync(join(tmp.dir, 'sentinel.yaml'), yaml);
    daemon = new Daemon(['--config', join(tmp.dir, 'sentinel.yaml'), '--data-dir', dataDir], env);
    await daemon.ready();
  }, 40_000);
  afterAll(async () => {
    if (daemon.child.exitCode === null) await daemon.kill('SIGTERM');
    tmp.cleanup();
  });

  it('has commands to run', () => expect(commands.length).toBeGreaterThan(5));

  it.each(commands.map((l) => [l]))('%s', async (line) => {
    const argv = splitCommandLine(line).slice(1);
    // `config validate sentinel.yaml` names the file relative to where the tour runs.
    const r = await cli(
      argv.map((a) => (a === 'sentinel.yaml' ? join(tmp.dir, a) : a)),
      env,
    );
    expect(r.code, `${line}\n${r.stdout}\n${r.stderr}`).toBe(0);
  });

  it('shows the Unicode-named process in status, logs, failures and /metrics', async () => {
    const name = 'test_öäü';
    await waitFor(
      async () => {
        const s = JSON.parse((await sentinel(['status', '--json'])).stdout) as Snapshot;
        return s.processes.find((p) => p.name === name)?.state === 'fatal';
      },
      { timeout: 20_000, what: `${name} to go fatal` },
    );
    const status = await sentinel(['status']);
    expect(status.stdout).toContain(name);
    const logs = await sentinel(['logs', name, '--lines', '5']);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toContain('hallo');
    await waitFor(
      async () => {
        const f = JSON.parse((await sentinel(['failures', '--service', name, '--json'])).stdout) as {
          items: { service: string }[];
        };
        return f.items.some((i) => i.service === name);
      },
      { timeout: 30_000, what: `a failure recorded for ${name}` },
    );
    const { url, token } = apiInfo(dataDir);
    const metrics = await (
      await fetch(new URL('metrics', url), { headers: { authorization: `Bearer ${token}` } })
    ).text();
    expect(metrics).toContain(`process="${name}"`);
  }, 60_000);
});
