import { openPostgresStore } from './persistence/postgres/postgres-store.ts';
import { createTestSchema } from './persistence/postgres/testing/test-database.ts';
import { describeReviewApi } from './testing/review-suite.ts';

describeReviewApi({
  name: 'PostgreSQL',
  openStore: async () => {
    const schema = await createTestSchema();
    const store = await openPostgresStore({ connectionString: schema.url, pool: schema.pool });
    return { store, dispose: () => schema.drop() };
  },
});
