import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { Pool } from 'pg';

/** The database the global setup created on the throwaway server. */
export function testDatabaseUrl(): string {
  return inject('postgresUrl');
}

/** The throwaway server's `postgres` database, as its superuser. */
export function testAdminUrl(): string {
  return inject('postgresAdminUrl');
}

/** A schema of its own in the test database, and a pool whose `search_path` is that schema. */
export interface TestSchema {
  name: string;
  url: string;
  pool: Pool;
  /** Ends the pool and drops the schema with everything in it. */
  drop(): Promise<void>;
}

/**
 * Creates an empty schema with a unique name in the test database, so that each contract run
 * (and each test) starts from nothing while sharing one server, and returns a pool bound to it.
 */
export async function createTestSchema(): Promise<TestSchema> {
  const url = testDatabaseUrl();
  const name = `rca_test_${process.pid}_${randomBytes(6).toString('hex')}`;
  const admin = new Pool({ connectionString: url, max: 1 });
  try {
    await admin.query(`CREATE SCHEMA ${name}`);
  } finally {
    await admin.end();
  }
  const pool = new Pool({ connectionString: url, options: `-c search_path=${name}`, max: 5 });
  pool.on('error', () => {});
  return {
    name,
    url,
    pool,
    async drop() {
      await pool.end();
      const dropper = new Pool({ connectionString: url, max: 1 });
      try {
        await dropper.query(`DROP SCHEMA ${name} CASCADE`);
      } finally {
        await dropper.end();
      }
    },
  };
}
