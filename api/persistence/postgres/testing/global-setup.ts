/**
 * Vitest global setup of the PostgreSQL integration tests: starts a throwaway PostgreSQL server
 * (see {@link startThrowawayPostgres}), creates the `rca_contract` database on it, provides its
 * connection string as `postgresUrl`, and stops and removes the server after the run. It fails
 * when the server binaries are missing; it never skips.
 */
import type { TestProject } from 'vitest/node';
import { startThrowawayPostgres } from './throwaway-postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection string of an empty database on the throwaway server. */
    postgresUrl: string;
    /** Connection string of the throwaway server's `postgres` database, to create more databases. */
    postgresAdminUrl: string;
  }
}

/** Starts the server and returns the teardown that stops it. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startThrowawayPostgres();
  try {
    project.provide('postgresUrl', await server.createDatabase('rca_contract'));
    project.provide('postgresAdminUrl', server.adminUrl);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return () => server.stop();
}
