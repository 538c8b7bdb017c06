import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests start processes and share two CPU cores; keep the pressure sane.
    maxWorkers: 2,
    pool: 'forks',
    // Bundles the CLI once, for the tests that run it (see test/helpers/cli-bundle.ts).
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default', './test/closing-line-reporter.ts'],
  },
});
