// `npm run test:electron`: the smoke test with the real Electron, or ONE line saying why it cannot run here.
// Not part of `npm test`: most machines we test on (Linux, ELECTRON_SKIP_BINARY_DOWNLOAD) have no Electron binary.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

function electronBinary() {
  try {
    // The electron package's main export is the binary's path; it throws when the binary was never downloaded.
    const path = createRequire(import.meta.url)('electron');
    return existsSync(path) ? { path } : { reason: `node_modules/electron points at ${path}, which does not exist` };
  } catch {
    const why = process.env.ELECTRON_SKIP_BINARY_DOWNLOAD ? ' (ELECTRON_SKIP_BINARY_DOWNLOAD is set)' : '';
    return {
      reason: `node_modules/electron has no binary (no dist/)${why}; node node_modules/electron/install.js downloads it (allowScripts keeps npm ci from doing so)`,
    };
  }
}

const found = electronBinary();
if (!found.path) {
  console.log(`test:electron skipped: ${found.reason}`);
  process.exit(0);
}
if (!existsSync('dist/main/electron-main.js')) {
  const built = spawnSync(process.execPath, ['build/build.mjs'], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
// better-sqlite3 is a native addon: the real Electron needs it built for Electron's ABI, `npm test` for Node's.
// Build it for Electron for the run, and back for Node afterwards, whatever the outcome.
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const forElectron = spawnSync(npx, ['electron-builder', 'install-app-deps'], { stdio: 'inherit' });
let status = forElectron.status ?? 1;
if (status === 0) {
  const r = spawnSync(
    process.execPath,
    ['node_modules/vitest/vitest.mjs', 'run', '--config', 'vitest.electron.config.ts'],
    { stdio: 'inherit', env: { ...process.env, SENTINEL_ELECTRON: found.path } },
  );
  status = r.status ?? 1;
}
const forNode = spawnSync(npm, ['rebuild', 'better-sqlite3'], { stdio: 'inherit' });
process.exit(status || (forNode.status ?? 1));
