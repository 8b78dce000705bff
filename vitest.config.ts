import { defineConfig } from 'vitest/config';

// One run for the whole monorepo. Tests mirror the source path under each package's
// test/ folder. Integration tests start their own embedded broker/registry on port 0
// with a temp directory, so files can run in parallel (2 cores here: keep it at 2).
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts', 'bench/test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
