// The windows: one Svelte 5 SPA with hash routes, built to dist/renderer with relative paths so the same files load
// from file:// in Electron and from the headless HTTP server. No inline scripts or styles: the CSP forbids both.
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  plugins: [svelte({ configFile: false, compilerOptions: { runes: true } })],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // A data: URL for a small asset would need a looser CSP for scripts/fonts; keep every asset a file.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
