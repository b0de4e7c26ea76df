// One build command: bundles the main-process entries with esbuild (dependencies stay external, so the native
// better-sqlite3 addon loads from node_modules) and builds the Svelte windows with Vite.
import { build } from 'esbuild';
import { existsSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

// Chunk names carry content hashes: start clean so no stale chunk is left beside the new ones.
rmSync('dist/main', { recursive: true, force: true });
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
};
const entries = {
  cli: 'src-main/cli/main.ts',
  start: 'src-main/start.ts',
  'electron-main': 'src-main/app/main.ts',
};
const present = Object.fromEntries(Object.entries(entries).filter(([, f]) => existsSync(f)));
// splitting: commands load the daemon with import() only when they need it (a fast `sentinel status`).
await build({
  ...common,
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  entryPoints: present,
  outdir: 'dist/main',
  outExtension: { '.js': '.js' },
});
// A sandboxed preload must be CommonJS.
if (existsSync('src-main/app/preload.ts')) {
  await build({
    ...common,
    format: 'cjs',
    entryPoints: { preload: 'src-main/app/preload.ts' },
    outdir: 'dist/main',
    outExtension: { '.js': '.cjs' },
  });
}
if (existsSync('src-renderer/vite.config.ts') && !process.env.SENTINEL_SKIP_RENDERER) {
  execFileSync(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', '--config', 'src-renderer/vite.config.ts', '--logLevel', 'warn'],
    { stdio: 'inherit' },
  );
}
