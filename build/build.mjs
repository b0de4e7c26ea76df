// One build command: bundles the main-process entries with esbuild (dependencies stay external, so the native
// better-sqlite3 addon loads from node_modules; zod is the one exception, see INLINE) and builds the Svelte windows
// with Vite.
import { build } from 'esbuild';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

// Chunk names carry content hashes: start clean so no stale chunk is left beside the new ones.
rmSync('dist/main', { recursive: true, force: true });
// Bundled into our chunks instead of loaded from node_modules: zod, which every `sentinel run` needs from the first
// second (config and contract). As 95 ESM files it keeps 1.5 MB of source text in the daemon's heap for good (V8
// holds every module's source; most of its files hold a non-ASCII character, so V8 stores them as UTF-16), plus a
// module record each; bundled, esbuild writes it as one ASCII file. Measured at rest (docs/benchmarks.md, "RSS at
// rest"): live heap 13.1 -> 12.0 MB. The other packages gain < 0.3 MB together and are CommonJS (a require shim).
const INLINE = ['zod'];
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
  .filter((name) => !INLINE.includes(name))
  .flatMap((name) => [name, `${name}/*`]);
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  external,
  // No comments and no indentation: V8 keeps each chunk's source in the heap for as long as the daemon runs, and
  // a single non-ASCII character in a comment (an em dash) stores the whole chunk as UTF-16. The source maps map
  // stack traces back (node --enable-source-maps).
  minifyWhitespace: true,
  sourcemap: true,
  logLevel: 'warning',
};
const entries = {
  start: 'src-main/start.ts',
  'electron-main': 'src-main/app/main.ts',
  // Loaded by dist/main/cli.cjs (below) with import(), never run by themselves.
  'cli-program': 'src-main/cli/program.ts',
  contract: 'src-main/shared/contract.ts',
};
const cli = 'src-main/cli/main.ts';
const preload = 'src-main/app/preload.ts';
const viteConfig = 'src-renderer/vite.config.ts';
// A missing entry is a broken tree, not something to skip: the package would ship without it.
const missing = [...Object.values(entries), cli, preload, viteConfig].filter((f) => !existsSync(f));
if (missing.length > 0) {
  console.error(`build: missing entry ${missing.join(', ')}`);
  process.exit(1);
}
// splitting: the daemon, the full CLI program and the contract share chunks and each loads only what it imports.
await build({
  ...common,
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  entryPoints: entries,
  outdir: 'dist/main',
  outExtension: { '.js': '.js' },
});
// `sentinel` itself (bin/sentinel.cjs → dist/main/cli.cjs): one file holding main.ts and the whole quick path
// (quick/, the actions it runs, their views, picocolors), because `sentinel status` is mostly start-up: ~10 chunks
// plus a CommonJS picocolors (which also loads Node's cjs lexer) cost more than the call to the daemon. CommonJS,
// because Node's ESM loader costs ≈ 5 ms of start-up even for one file (status --json, no CA bundle: 41.1 → 35.8 ms
// as .cjs, hyperfine, 60 runs); the full program is ESM and CommonJS reaches it with import(). Its two dynamic
// imports stay real import()s of the build above, loaded
// only when needed: the full program (cli-program.js, commander and every command) and the contract (contract.js,
// zod), which the quick client reads only for a reply that fails its own check. Without splitting esbuild would
// inline both, so they are resolved here to those files and left external; a static import of either would load
// them on every call, so it fails the build instead.
// Matched by the file they resolve to, from any importer: a module of the quick path that imports the contract
// statically under another relative path must fail too, not inline zod.
const LAZY = new Map([
  [resolve('src-main/cli/program.ts'), './cli-program.js'],
  [resolve('src-main/shared/contract.ts'), './contract.js'],
]);
await build({
  ...common,
  format: 'cjs',
  entryPoints: { cli },
  outdir: 'dist/main',
  outExtension: { '.js': '.cjs' },
  external: external.filter((name) => !name.startsWith('picocolors')),
  plugins: [
    {
      name: 'lazy-entries',
      setup(b) {
        b.onResolve({ filter: /\/(program|contract)$/ }, ({ path, kind, importer, resolveDir }) => {
          const file = LAZY.get(resolve(resolveDir, `${path}.ts`));
          if (!file) return undefined;
          if (kind !== 'dynamic-import')
            return { errors: [{ text: `${importer} imports ${path} statically: the quick path must import() it` }] };
          return { path: file, external: true };
        });
      },
    },
  ],
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
