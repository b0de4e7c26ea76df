/**
 * `npm start`: the menu-bar app where Electron can start; otherwise one line saying why, then the same core
 * headless, serving the same windows on 127.0.0.1 with a per-run token.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolvePaths } from './core/config/paths';
import { runDaemon, untilSignal } from './cli/run';
import { preferInterpreter } from './host/interpreter-only';
import { chooseLaunchMode } from './launch-mode';

function electronPath(): { path: string } | { error: string } {
  try {
    // In plain Node the electron package exports the path of its binary, and throws when it was never downloaded.
    return { path: String(createRequire(import.meta.url)('electron')) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

async function main(): Promise<void> {
  const launch = chooseLaunchMode({
    platform: process.platform,
    env: process.env,
    electron: electronPath(),
    exists: existsSync,
  });
  if (launch.mode === 'electron') {
    const app = join(dirname(fileURLToPath(import.meta.url)), 'electron-main.js');
    const child = spawn(launch.binary, [app], { stdio: 'inherit' });
    child.on('exit', (code) => process.exit(code ?? 0));
    return;
  }
  console.log(`${launch.reason}; running headless.`);
  await preferInterpreter();
  const paths = resolvePaths({ env: process.env });
  const host = await runDaemon({ configPath: paths.configPath, dataDir: paths.dataDir }, (line) => console.log(line));
  console.log(`Sentinel is running headless at ${host.windowsUrl}`);
  await untilSignal(host);
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(`sentinel: ${(err as Error).message}`);
  process.exit(1);
});
