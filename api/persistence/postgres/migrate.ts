import { fileURLToPath } from 'node:url';
import type { Pool, PoolClient } from 'pg';
import { UpstreamError } from '../../../domain/index.ts';
import type { Migration } from '../migration-files.ts';
import { isRetryablePostgresError } from './postgres-errors.ts';

/** The PostgreSQL migrations of the AnalysisStore tables, read with `loadMigrations({ directory })`. */
export const POSTGRES_MIGRATIONS_DIRECTORY = fileURLToPath(new URL('./migrations/', import.meta.url));

/**
 * The key of the session advisory lock a migration run holds, so that services starting together
 * migrate one after the other. It is the same in every schema of a database.
 */
export const MIGRATION_LOCK_KEY = 7_236_961_137_155_920n;

const CREATE_SCHEMA_MIGRATIONS = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;

/** Parameters of {@link runPostgresMigrations}. */
export interface RunPostgresMigrationsParams {
  /** The pool to take one connection from; the tables go to the first schema of its `search_path`. */
  pool: Pool;
  migrations: readonly Migration[];
  /** Clock of the `applied_at` column. */
  now?: () => Date;
}

/**
 * Applies the migrations not yet recorded in `schema_migrations`, in version order, each in its
 * own transaction together with its `schema_migrations` row. The whole run holds a session
 * advisory lock ({@link MIGRATION_LOCK_KEY}) on one connection, so that processes starting
 * together apply each migration once: the later ones wait, then find it recorded. Running it
 * again is a no-op. A migration that fails is rolled back and the UpstreamError names its file
 * and carries the driver error as `cause`; the migrations before it stay applied. Versions
 * recorded in the database but absent from `migrations` are left alone.
 *
 * @returns the migrations this call applied
 */
export async function runPostgresMigrations({
  pool,
  migrations,
  now = () => new Date(),
}: RunPostgresMigrationsParams): Promise<{ applied: Migration[] }> {
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (cause) {
    throw new UpstreamError('cannot connect to PostgreSQL to run the migrations', {
      cause,
      isRetryable: isRetryablePostgresError(cause),
    });
  }
  let broken: Error | undefined;
  try {
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
      await client.query(CREATE_SCHEMA_MIGRATIONS);
    } catch (cause) {
      broken = asError(cause);
      throw new UpstreamError('cannot lock or create the schema_migrations table', {
        cause,
        isRetryable: isRetryablePostgresError(cause),
      });
    }
    const applied: Migration[] = [];
    const ordered = [...migrations].sort((left, right) => left.version - right.version);
    for (const migration of ordered) {
      try {
        if (await applyMigration({ client, migration, now })) applied.push(migration);
      } catch (cause) {
        if (!(await rollback(client))) broken = asError(cause);
        throw new UpstreamError(`migration ${migration.name} failed and was rolled back`, {
          cause,
          isRetryable: isRetryablePostgresError(cause),
        });
      }
    }
    return { applied };
  } finally {
    if (broken === undefined) {
      try {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()]);
      } catch (cause) {
        broken = asError(cause);
      }
    }
    client.release(broken);
  }
}

async function applyMigration({
  client,
  migration,
  now,
}: {
  client: PoolClient;
  migration: Migration;
  now: () => Date;
}): Promise<boolean> {
  await client.query('BEGIN');
  const recorded = await client.query('SELECT version FROM schema_migrations WHERE version = $1', [
    migration.version,
  ]);
  if ((recorded.rowCount ?? 0) > 0) {
    await client.query('COMMIT');
    return false;
  }
  await client.query(migration.sql);
  await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
    migration.version,
    migration.name,
    now().toISOString(),
  ]);
  await client.query('COMMIT');
  return true;
}

/** Rolls back the open transaction; false when the connection can no longer be trusted. */
async function rollback(client: PoolClient): Promise<boolean> {
  try {
    await client.query('ROLLBACK');
    return true;
  } catch {
    return false;
  }
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
