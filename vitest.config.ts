import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'data/**', 'cdk.out/**', '**/*.int.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
