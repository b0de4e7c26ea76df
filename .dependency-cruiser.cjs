/**
 * The borders of the architecture, checked by `npm test` (`npm run lint:borders`). Each rule is proved by a
 * fixture that breaks it (test/borders/tree/, one file named after each rule) and test/borders/borders.test.ts,
 * which expects every rule here to fire on its fixture.
 *
 * Layers, bottom up: shared (the vocabulary) ← platform (OS commands and parsers) ← core/store (all SQL) ← the
 * rest of core ← api (transports) ← host (core + transports for one data dir) ← app (Electron shell) and cli;
 * src-renderer sees only shared.
 */
module.exports = {
  forbidden: [
    {
      name: 'shared-is-the-vocabulary',
      comment:
        'src-main/shared is imported by every side, the sandboxed windows included: it imports nothing of Sentinel but itself, and no Node module.',
      severity: 'error',
      from: { path: '^src-main/shared/' },
      to: { path: ['^src-main/(?!shared/)', '^src-renderer/'] },
    },
    {
      name: 'shared-no-node',
      comment: 'The windows import shared/: Node built-ins would not load there.',
      severity: 'error',
      from: { path: '^src-main/shared/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'platform-imports-no-core',
      comment:
        'platform/ wraps OS commands and the process table, parsed by pure functions: it knows nothing of the supervisor, the store, the transports or the shell (core uses it, never the reverse).',
      severity: 'error',
      from: { path: '^src-main/platform/' },
      to: { path: ['^src-main/(core|api|host|app|cli)/', '^src-renderer/'] },
    },
    {
      name: 'store-is-the-bottom-of-core',
      comment:
        'core/store holds all SQL; it imports only itself, shared/ and its driver, never the subsystems that use it.',
      severity: 'error',
      from: { path: '^src-main/core/store/' },
      to: { path: ['^src-main/(?!core/store/|shared/)', '^src-renderer/'] },
    },
    {
      name: 'sql-only-in-store',
      comment:
        'Only core/store opens the database driver; everyone else goes through a repo. (ESLint refuses .prepare/.exec/.transaction/.pragma calls outside store/ too.)',
      severity: 'error',
      from: { path: '^src-main/', pathNot: '^src-main/core/store/' },
      to: { path: 'better-sqlite3' },
    },
    {
      name: 'core-is-pure-node',
      comment:
        'src-main/core runs headless and in tests: it never imports electron, the shell, the transports, the host, the CLI or the windows.',
      severity: 'error',
      from: { path: '^src-main/core/' },
      to: { path: ['^src-main/(app|api|host|cli)/', '^src-renderer/', '^node_modules/electron/', '^electron$'] },
    },
    {
      name: 'no-electron-outside-app',
      comment: 'Only the Electron shell (src-main/app) may load electron; the daemon and the CLI run without it.',
      severity: 'error',
      from: { path: '^src-main/', pathNot: '^src-main/app/' },
      to: { path: '^electron$|node_modules/electron/' },
    },
    {
      name: 'api-below-host',
      comment: 'The transports are opened by the host for the shell and the CLI; they import none of them.',
      severity: 'error',
      from: { path: '^src-main/api/' },
      to: { path: ['^src-main/(host|app|cli)/', '^src-renderer/'] },
    },
    {
      name: 'host-below-app-and-cli',
      comment:
        'The host (src-main/host) composes core and transports for one data dir; the app and the CLI open it, never the other way round.',
      severity: 'error',
      from: { path: '^src-main/host/' },
      to: { path: ['^src-main/(app|cli)/', '^src-renderer/'] },
    },
    {
      name: 'app-not-cli',
      comment: 'The Electron shell and the CLI are two front ends of the same core; neither imports the other.',
      severity: 'error',
      from: { path: '^src-main/app/' },
      to: { path: '^src-main/cli/' },
    },
    {
      name: 'renderer-speaks-only-the-contract',
      comment: 'Windows may import from src-main only shared/ (the contract, the state groups, the error type).',
      severity: 'error',
      from: { path: '^src-renderer/' },
      to: { path: '^src-main/', pathNot: '^src-main/shared/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    exclude: { path: '(^|/)dist/' },
  },
};
