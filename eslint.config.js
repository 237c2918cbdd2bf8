// Type-aware lint: promise bugs and exhaustiveness are errors; layer rules keep I/O out of src/core and
// env reads inside src/config (see docs/adr/0001-architecture.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['bin/**', '.tmp*/**', 'dist/**', 'node_modules/**', 'test-results/**', 'bench/results/**', '.kept/**', '*.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      // Non-null assertions on indexed access document intent; without noUncheckedIndexedAccess they look redundant.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through src/config/env.ts only.' },
      ],
    },
  },
  {
    files: ['src/config/env.ts', 'test/**', 'bench/**', 'vite.config.ts', 'vitest.config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['src/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/store/**', '**/server/**', '**/ingest/**', '**/cli/**', '**/web/**'], message: 'src/core is pure: no I/O layers.' },
            { group: ['node:fs*', 'node:net', 'node:http', 'fs', 'pg', '@duckdb/*', 'fastify', 'react'], message: 'src/core is pure: no I/O.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/store/**', '**/ingest/**', '**/cli/**', 'pg', '@duckdb/*'], message: 'The dashboard talks to the API only.' }] },
      ],
    },
  },
);
