import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '.data/**', 'reports/**', 'load-tests/k6/**', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Handlers are async by contract (the consumer awaits them); many need no await of their own.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Configuration is read in exactly one env module per process (see each src/env.ts).
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read the environment only in an env module (env.ts).' },
      ],
    },
  },
  {
    // Tests, cross-service tests and load tests start processes with an environment of their own.
    files: ['**/env.ts', '**/test/**', 'e2e/**', 'load-tests/**', 'scripts/**', 'packages/testing/src/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['**/test/**', 'e2e/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
