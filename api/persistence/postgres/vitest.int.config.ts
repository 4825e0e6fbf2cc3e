import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The integration tests of the PostgreSQL adapter: every `*.int.test.ts`, after a global setup
 * that starts a throwaway PostgreSQL server from the Debian `postgresql` package. Run from the
 * repository root: `npx vitest run --config api/persistence/postgres/vitest.int.config.ts`.
 */
export default defineConfig({
  root: fileURLToPath(new URL('../../../', import.meta.url)),
  test: {
    include: ['**/*.int.test.ts'],
    exclude: ['node_modules/**', 'data/**', 'cdk.out/**'],
    globalSetup: [fileURLToPath(new URL('./testing/global-setup.ts', import.meta.url))],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
