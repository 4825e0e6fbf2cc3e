import type { Client, Transaction } from '@libsql/client';
import { UpstreamError } from '../../../domain/index.ts';
import type { Migration } from '../migration-files.ts';

const CREATE_SCHEMA_MIGRATIONS = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;

/** Parameters of {@link runMigrations}. */
export interface RunMigrationsParams {
  client: Client;
  migrations: readonly Migration[];
  /** Clock of the `applied_at` column. */
  now?: () => Date;
}

/**
 * Applies the migrations not yet recorded in `schema_migrations`, in version order, each in
 * its own write transaction together with its `schema_migrations` row. Running it again is a
 * no-op, and two processes starting together apply each migration once. A migration that
 * fails is rolled back, and the UpstreamError names its file and carries the driver error as
 * `cause`; the migrations before it stay applied. Versions recorded in the database but absent
 * from `migrations` are left alone.
 *
 * @returns the migrations this call applied
 */
export async function runMigrations({
  client,
  migrations,
  now = () => new Date(),
}: RunMigrationsParams): Promise<{ applied: Migration[] }> {
  try {
    await client.execute(CREATE_SCHEMA_MIGRATIONS);
  } catch (cause) {
    throw new UpstreamError('cannot create the schema_migrations table', { cause });
  }
  const applied: Migration[] = [];
  const ordered = [...migrations].sort((left, right) => left.version - right.version);
  for (const migration of ordered) {
    if (await applyMigration({ client, migration, now })) applied.push(migration);
  }
  return { applied };
}

async function applyMigration({
  client,
  migration,
  now,
}: {
  client: Client;
  migration: Migration;
  now: () => Date;
}): Promise<boolean> {
  let transaction: Transaction | undefined;
  try {
    transaction = await client.transaction('write');
    const recorded = await transaction.execute({
      sql: 'SELECT version FROM schema_migrations WHERE version = ?',
      args: [migration.version],
    });
    if (recorded.rows.length > 0) {
      await transaction.commit();
      return false;
    }
    await transaction.executeMultiple(migration.sql);
    await transaction.execute({
      sql: 'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
      args: [migration.version, migration.name, now().toISOString()],
    });
    await transaction.commit();
    return true;
  } catch (cause) {
    transaction?.close();
    throw new UpstreamError(`migration ${migration.name} failed and was rolled back`, { cause });
  }
}
