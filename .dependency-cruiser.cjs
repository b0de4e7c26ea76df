/** The borders of the architecture, checked by `npm test`. */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure-node',
      comment:
        'src-main/core runs headless and in tests: it never imports electron, the shell, the transports or the windows; it may use the contract (zod + types), its vocabulary.',
      severity: 'error',
      from: { path: '^src-main/core' },
      to: {
        path: ['^src-main/app', '^src-main/api', '^src-renderer', '^node_modules/electron/', '^electron$'],
        pathNot: '^src-main/shared/',
      },
    },
    {
      name: 'core-not-host',
      comment: 'The host (src-main/host) composes the core with its transports; the core never reaches up to it.',
      severity: 'error',
      from: { path: '^src-main/core' },
      to: { path: '^src-main/host' },
    },
    {
      name: 'host-below-app-and-cli',
      comment:
        'The host may use core, api, shared and platform; the app and the CLI use the host, never the other way round.',
      severity: 'error',
      from: { path: '^src-main/host' },
      to: { path: ['^src-main/app', '^src-main/cli', '^src-renderer'] },
    },
    {
      name: 'only-app-and-cli-use-the-host',
      comment: 'api and platform sit below the host; only the entries (app, cli, start.ts) open it.',
      severity: 'error',
      from: { path: '^src-main/(api|platform|shared)' },
      to: { path: '^src-main/host' },
    },
    {
      name: 'core-no-electron-module',
      severity: 'error',
      from: { path: '^src-main/(core|api|platform|cli|host)' },
      to: { path: '^electron$|node_modules/electron/' },
    },
    {
      name: 'platform-is-leaf',
      comment: 'platform/ wraps OS commands; it may use core utilities but not the supervisor, api or app.',
      severity: 'error',
      from: { path: '^src-main/platform' },
      to: { path: ['^src-main/app', '^src-main/api', '^src-renderer'] },
    },
    {
      name: 'api-not-app',
      severity: 'error',
      from: { path: '^src-main/api' },
      to: { path: ['^src-main/app', '^src-renderer'] },
    },
    {
      name: 'renderer-speaks-only-the-contract',
      comment: 'Windows may import from src-main only the api contract (types and zod schemas).',
      severity: 'error',
      from: { path: '^src-renderer' },
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
