// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Modules a pure core may not import (STYLE.md 1): no I/O, no clients, no logger.
const ioModules = [
  'node:net', 'net', 'node:fs', 'fs', 'node:fs/promises', 'fs/promises', 'node:http', 'http',
  'node:child_process', 'child_process', 'node:dgram', 'node:tls',
  'kafkajs', 'pino', '@clickhouse/client', 'chdb', '@confluentinc/schemaregistry',
];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/src/generated/**', 'data/**', 'bench/out/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: { allowDefaultProject: ['vitest.config.ts', 'bench/*.ts'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Packages talk to each other only through their public entry (STYLE.md 7).
      'no-restricted-imports': ['error', { patterns: [{ group: ['@warmcast/*/src/*', '@warmcast/*/src'], message: 'import another package through its entry, e.g. @warmcast/broker' }] }],
    },
  },
  {
    // Pure cores: decisions, codecs, state machines, models. Time is an argument.
    files: ['packages/*/src/core/**/*.ts', 'services/*/src/core/**/*.ts', 'packages/kafka-protocol/src/**/*.ts', 'packages/forecast/src/**/*.ts'],
    ignores: ['packages/forecast/src/shell/**', 'packages/forecast/src/replay/io/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ioModules.map((name) => ({ name, message: 'pure core: do the I/O in the shell and pass data in' })),
        patterns: [{ group: ['@warmcast/*/src/*'], message: 'import another package through its entry' }],
      }],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'pure core: time is an argument' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
