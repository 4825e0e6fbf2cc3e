import { defineConfig } from 'vitest/config';

/** The browser tests of the web console (`npm run test:web`): Debian's chromium against the real service. */
export default defineConfig({
  test: {
    include: ['web/e2e/**/*.e2e.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
