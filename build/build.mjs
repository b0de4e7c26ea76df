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
const preload = 'src-main/app/preload.ts';
const viteConfig = 'src-renderer/vite.config.ts';
// A missing entry is a broken tree, not something to skip: the package would ship without it.
const missing = [...Object.values(entries), preload, viteConfig].filter((f) => !existsSync(f));
if (missing.length > 0) {
  console.error(`build: missing entry ${missing.join(', ')}`);
  process.exit(1);
}
// splitting: commands load the daemon with import() only when they need it (a fast `sentinel status`).
await build({
  ...common,
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  entryPoints: entries,
  outdir: 'dist/main',
  outExtension: { '.js': '.js' },
});
// A sandboxed preload must be CommonJS.
await build({
  ...common,
  format: 'cjs',
  entryPoints: { preload },
  outdir: 'dist/main',
  outExtension: { '.js': '.cjs' },
});
if (!process.env.SENTINEL_SKIP_RENDERER) {
  execFileSync(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', '--config', viteConfig, '--logLevel', 'warn'],
    { stdio: 'inherit' },
  );
}
