import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Store suites open real databases; keep files in separate forks but few at once on a 2-core machine.
    pool: 'forks',
    maxWorkers: 2,
  },
});
