/** The built CLI (`dist/main/cli.cjs`) as a child of the test: one-shot commands and a `sentinel run` daemon. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exited, run, type Ran } from '../../bench/lib/exec';
import { waitFor } from '../helpers/wait';

export const CLI = fileURLToPath(new URL('../../dist/main/cli.cjs', import.meta.url));
export const CLI_MISSING = existsSync(CLI) ? undefined : `${CLI} is missing: run npm run build`;

/** An environment whose default config and data dirs are inside `home`, so nothing leaks into the real ones. */
export function isolatedEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: `${home}/.config`,
    XDG_DATA_HOME: `${home}/.local/share`,
  };
  delete env.SENTINEL_CONFIG;
  delete env.SENTINEL_DATA_DIR;
  return env;
}

export function cli(args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  return run(process.execPath, [CLI, ...args], { env, timeoutMs: 30_000 });
}

/** Where a running daemon serves HTTP and its token, as it wrote them to `<data dir>/api.json`. */
export function apiInfo(dataDir: string): { url: string; token: string } {
  const info = JSON.parse(readFileSync(join(dataDir, 'api.json'), 'utf8')) as { url: string | null; token: string };
  if (!info.url) throw new Error('api.json has no url: the daemon serves no HTTP API');
  return { url: info.url, token: info.token };
}

/** A contract request over the daemon's HTTP API; a refused request throws with the answer. */
export async function httpApi<T>(dataDir: string, channel: string, input: unknown = {}): Promise<T> {
  const { url, token } = apiInfo(dataDir);
  const r = await fetch(new URL(`api/${channel}`, url), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const body = (await r.json()) as { ok: boolean; result: T };
  if (!body.ok) throw new Error(`${channel} refused: ${JSON.stringify(body)}`);
  return body.result;
}

export class Daemon {
  readonly child: ChildProcess;
  output = '';

  constructor(args: string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, [CLI, 'run', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8').on('data', (d: string) => (this.output += d));
    this.child.stderr!.setEncoding('utf8').on('data', (d: string) => (this.output += d));
  }

  /** Resolves with the "sentinel running" line once the daemon serves its socket. */
  ready(): Promise<string> {
    return waitFor(
      () => {
        if (this.child.exitCode !== null)
          throw new Error(`sentinel run exited ${this.child.exitCode}:\n${this.output}`);
        return /^sentinel running .*$/m.exec(this.output)?.[0];
      },
      { timeout: 30_000, what: 'sentinel run to be ready' },
    );
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    this.child.kill(signal);
    await exited(this.child);
  }
}
