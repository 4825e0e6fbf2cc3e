import { Pool } from 'pg';
import { createTestSchema } from '../../persistence/postgres/testing/test-database.ts';
import { describeWorkQueueContract } from '../testing/work-queue-contract.ts';

describeWorkQueueContract('pg-boss on PostgreSQL', async () => {
  const schema = await createTestSchema();
  const bossSchema = `${schema.name}_boss`;
  return {
    location: { kind: 'pg-boss', connectionString: schema.url, schema: schema.name, bossSchema },
    async cleanup() {
      await schema.drop();
      const dropper = new Pool({ connectionString: schema.url, max: 1 });
      try {
        await dropper.query(`DROP SCHEMA IF EXISTS ${bossSchema} CASCADE`);
      } finally {
        await dropper.end();
      }
    },
  };
});
