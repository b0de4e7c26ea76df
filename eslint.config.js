// Lint for the whole tree: typescript-eslint (type-aware where it catches real bugs: promises nobody awaits or
// catches, promises handed to callbacks that ignore them), eslint-plugin-svelte for the windows, and the store
// border (SQL only in core/store). Formatting is Prettier's job, not ESLint's.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'test/artifacts/**',
      'test/fixtures/**',
      // Deliberately bad imports for the border test; each file breaks one rule on purpose.
      'test/borders/tree/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // `_name` marks a parameter kept for its position (event callbacks).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // CommonJS files: require is how they load anything (the bench's floors are CommonJS to leave Node's ESM loader
    // out of what they measure).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Type-aware rules where they catch real bugs, on the shipped code only (tests and benches are checked by
    // tsc and by running them); type information costs seconds per project, so no more than that.
    files: ['src-main/**/*.ts', 'src-renderer/src/**/*.ts'],
    ignores: ['src-renderer/src/**/*.svelte.ts'],
    languageOptions: {
      parserOptions: {
        // The nearest tsconfig.json: the root one for src-main, src-renderer's own for the windows' modules.
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // A promise nobody awaits or catches is an unhandled rejection waiting to happen; `void p` marks the
      // deliberate fire-and-forget ones (each of which catches its own errors).
      '@typescript-eslint/no-floating-promises': 'error',
      // An async function handed to something that ignores its promise (an event emitter, a timer) loses its
      // rejections.
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // The Electron shell is type-checked against electron.d.ts by its own tsconfig.
    files: ['src-main/app/**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: false, project: './tsconfig.app.json', tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
    },
    rules: {
      // `{' · text'}` is how Svelte 5 keeps the leading space of text at the start of a block, which it trims.
      'svelte/no-useless-mustaches': 'off',
    },
  },
  {
    files: ['src-renderer/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // SQL only inside core/store: nobody else prepares statements, opens transactions or sets pragmas.
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/core/store/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[callee.property.name=/^(prepare|transaction|pragma)$/]',
          message: 'SQL lives in src-main/core/store/: add a repo function there instead.',
        },
        {
          selector: 'CallExpression[callee.object.name=/^db$/][callee.property.name="exec"]',
          message: 'SQL lives in src-main/core/store/: add a repo function there instead.',
        },
      ],
    },
  },
  {
    // Tests build partial fakes of big interfaces; a cast to the interface is the honest way to say so.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
