import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/electron needs the real Electron binary: `npm run test:electron`.
    exclude: ['test/reliability/**', 'test/electron/**', 'node_modules/**'],
    // Real child processes and signals: separate processes keep one test's children away from another's.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test/artifacts/vitest.json' }]] : ['default'],
  },
});
