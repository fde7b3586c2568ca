import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'dist/', 'dist-lang/', 'packages/*/dist/', 'coverage/', 'assets/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }] },
  },
  {
    files: ['lib/loadgen/**', 'lib/ops/**', 'lib/cli/**', 'lib/catalog/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [{ group: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'cdk-nag'], message: 'Run-time code and the catalog must not import CDK.' }],
      }],
    },
  },
  {
    // The client is what applications import: the connection module and the semantic cache, below the load
    // generator, ops and the CLI, which use it; never the CDK.
    files: ['lib/client/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [{
          group: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'cdk-nag', '**/loadgen/*', '**/loadgen', '**/ops/*', '**/cli/*', '**/constructs/*'],
          message: 'lib/client depends only on lib/catalog and lib/util: loadgen, ops and the CLI build on it, not the other way round.',
        }],
      }],
    },
  },
  {
    files: ['lib/util/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [{
          group: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', '**/loadgen/*', '**/client/*', '**/ops/*', '**/cli/*', '**/constructs/*', '**/rules/*'],
          message: 'lib/util holds small shared helpers (units, TTL jitter, the seeded source): it depends on lib/catalog only.',
        }],
      }],
    },
  },
  {
    files: ['lib/catalog/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [{ group: ['../*', 'aws-cdk-lib', 'aws-cdk-lib/*', 'constructs'], message: 'lib/catalog depends on nothing else of the project.' }],
      }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
