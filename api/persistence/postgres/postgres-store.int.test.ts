import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from '@libsql/client';
import { Pool } from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamError, ValidationError } from '../../../domain/index.ts';
import { loadMigrations } from '../migration-files.ts';
import { runMigrations } from '../sqlite/migrate.ts';
import { fixtureTime, makeAnalysis, makeExchange } from '../testing/fixtures.ts';
import { describeAnalysisStoreContract } from '../testing/store-contract.ts';
import { POSTGRES_MIGRATIONS_DIRECTORY, runPostgresMigrations } from './migrate.ts';
import { openPostgresStore } from './postgres-store.ts';
import { createTestSchema, testAdminUrl, testDatabaseUrl, type TestSchema } from './testing/test-database.ts';

describeAnalysisStoreContract('PostgreSQL', async () => {
  const schema = await createTestSchema();
  const store = await openPostgresStore({ connectionString: schema.url, pool: schema.pool });
  return {
    store,
    async cleanup() {
      await store.close();
      await schema.drop();
    },
  };
});

/** What a test made, disposed of after it, newest first. */
const disposables: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const dispose of disposables.splice(0).reverse()) await dispose();
});

async function schemaForTest(): Promise<TestSchema> {
  const schema = await createTestSchema();
  disposables.push(() => schema.drop());
  return schema;
}

function migrationsFolder(files: Record<string, string>): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'rca-pg-migrations-'));
  disposables.push(() => rmSync(directory, { recursive: true, force: true }));
  for (const [name, sql] of Object.entries(files)) writeFileSync(path.join(directory, name), sql);
  return directory;
}

async function tableNames(pool: Pool): Promise<string[]> {
  const result = await pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()
     ORDER BY table_name`,
  );
  return result.rows.map((row) => row.table_name);
}

describe('PostgreSQL store', () => {
  it('creates its own pool from the connection string, keeps data across reopen, and ends the pool on close', async () => {
    const schema = await schemaForTest();
    const connectionString = `${schema.url}?options=${encodeURIComponent(`-c search_path=${schema.name}`)}`;
    const analysis = makeAnalysis({ n: 1 });
    const firstOpen = new Date('2026-03-01T00:00:00.000Z');

    const store = await openPostgresStore({ connectionString, now: () => firstOpen });
    await store.createAnalysis({ analysis, apiKeyId: 'key-1', idempotencyKey: 'idem-1', requestHash: 'h' });
    const exchange = await store.appendExchange(
      makeExchange({ defectId: analysis.defect_id, question: 'Why?', askedAt: fixtureTime(2) }),
    );
    await store.close();
    await expect(store.ping()).rejects.toBeInstanceOf(UpstreamError);

    const reopened = await openPostgresStore({
      connectionString,
      now: () => new Date('2026-04-01T00:00:00.000Z'),
    });
    try {
      expect(await reopened.getAnalysis({ defectId: analysis.defect_id })).toEqual(analysis);
      expect(await reopened.listExchanges({ defectId: analysis.defect_id })).toEqual([exchange]);
    } finally {
      await reopened.close();
    }
    const recorded = await schema.pool.query('SELECT version, name, applied_at FROM schema_migrations');
    expect(recorded.rows).toEqual([
      { version: 1, name: '001_initial.sql', applied_at: firstOpen.toISOString() },
      { version: 2, name: '002_scope_idempotency_keys.sql', applied_at: firstOpen.toISOString() },
      { version: 3, name: '003_review.sql', applied_at: firstOpen.toISOString() },
      { version: 4, name: '004_job_idempotency.sql', applied_at: firstOpen.toISOString() },
      { version: 5, name: '005_leases.sql', applied_at: firstOpen.toISOString() },
    ]);
  });

  it('leaves an injected pool open on close', async () => {
    const schema = await schemaForTest();
    const store = await openPostgresStore({ connectionString: schema.url, pool: schema.pool });
    await store.close();
    await expect(schema.pool.query('SELECT 1 AS one')).resolves.toMatchObject({ rows: [{ one: 1 }] });
  });

  it('creates one analysis for concurrent requests with one idempotency key', async () => {
    const schema = await schemaForTest();
    const store = await openPostgresStore({ connectionString: schema.url, pool: schema.pool });
    const analyses = Array.from({ length: 8 }, (_, index) => makeAnalysis({ n: index + 1 }));
    const results = await Promise.all(
      analyses.map((analysis) =>
        store.createAnalysis({ analysis, apiKeyId: null, idempotencyKey: 'same', requestHash: 'h' }),
      ),
    );
    expect(results.filter((result) => result.created)).toHaveLength(1);
    const [winner] = results.filter((result) => result.created);
    for (const result of results) expect(result.analysis).toEqual(winner?.analysis);
    expect((await store.listAnalyses({ limit: 200 })).items).toHaveLength(1);
  });

  it('refuses text PostgreSQL cannot store as a ValidationError', async () => {
    const schema = await schemaForTest();
    const store = await openPostgresStore({ connectionString: schema.url, pool: schema.pool });
    const analysis = makeAnalysis({ n: 1 });
    await store.createAnalysis({ analysis, apiKeyId: null });
    const appending = store.appendExchange(
      makeExchange({ defectId: analysis.defect_id, question: 'nul \u0000 inside', askedAt: fixtureTime(2) }),
    );
    await expect(appending).rejects.toBeInstanceOf(ValidationError);
    await expect(appending).rejects.toHaveProperty('cause.code', '22021');
  });

  it('reports an unreachable server as a retryable UpstreamError without the password', async () => {
    const opening = openPostgresStore({
      connectionString: 'postgresql://rca:s3cret@127.0.0.1:1/rca?sslmode=disable',
    });
    await expect(opening).rejects.toBeInstanceOf(UpstreamError);
    await expect(opening).rejects.toHaveProperty('isRetryable', true);
    await expect(opening).rejects.toHaveProperty('cause');
    await expect(opening).rejects.toThrow(/postgresql:\/\/rca@127\.0\.0\.1:1\/rca/);
    await expect(opening).rejects.not.toThrow(/s3cret/);
  });

  it('wraps driver errors with the driver error as cause', async () => {
    const schema = await schemaForTest();
    const store = await openPostgresStore({ connectionString: schema.url, pool: schema.pool });
    await schema.pool.query('DROP TABLE analyses CASCADE');
    const reading = store.getAnalysis({ defectId: 'DEF-20260301-00000001' });
    await expect(reading).rejects.toBeInstanceOf(UpstreamError);
    await expect(reading).rejects.toHaveProperty('isRetryable', false);
    await expect(reading).rejects.toHaveProperty('cause.code', '42P01');
  });

  it('reports a connection lost during a call as a retryable UpstreamError', async () => {
    const schema = await schemaForTest();
    const store = await openPostgresStore({ connectionString: schema.url, pool: schema.pool });
    const admin = new Pool({ connectionString: testAdminUrl(), max: 1 });
    disposables.push(() => admin.end());
    const locker = await schema.pool.connect();
    disposables.push(() => locker.release(true));
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE analyses IN ACCESS EXCLUSIVE MODE');

    const reading = store.getAnalysis({ defectId: 'DEF-20260301-00000001' }).then(
      () => null,
      (error: unknown) => error,
    );
    await expect
      .poll(async () => {
        const result = await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
           WHERE wait_event_type = 'Lock' AND lower(query) LIKE 'select%document%from%analyses%'`,
        );
        return result.rowCount;
      })
      .toBeGreaterThan(0);
    const error = await reading;
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toHaveProperty('isRetryable', true);
    expect(error).toHaveProperty('cause.code', '57P01');
  });

  it('reports a stored document that no longer matches the schema', async () => {
    const schema = await schemaForTest();
    const store = await openPostgresStore({ connectionString: schema.url, pool: schema.pool });
    const analysis = makeAnalysis({ n: 1 });
    await store.createAnalysis({ analysis, apiKeyId: null });
    await schema.pool.query('UPDATE analyses SET document = \'{"status":"lost"}\'');
    const reading = store.getAnalysis({ defectId: analysis.defect_id });
    await expect(reading).rejects.toBeInstanceOf(UpstreamError);
    await expect(reading).rejects.toHaveProperty('cause.name', 'ZodError');
  });

  it('has the tables and columns of the SQLite schema', async () => {
    const schema = await schemaForTest();
    await runPostgresMigrations({
      pool: schema.pool,
      migrations: await loadMigrations({ directory: POSTGRES_MIGRATIONS_DIRECTORY }),
    });
    const postgresColumns = await schema.pool.query<{
      table_name: string;
      column_name: string;
      collation_name: string | null;
      data_type: string;
    }>(
      `SELECT table_name, column_name, collation_name, data_type FROM information_schema.columns
       WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
    );
    const sqlite = createClient({ url: ':memory:' });
    disposables.push(() => sqlite.close());
    await runMigrations({ client: sqlite, migrations: await loadMigrations() });
    const sqliteColumns = await sqlite.execute(
      `SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m, pragma_table_info(m.name) p
       WHERE m.type = 'table' ORDER BY m.name, p.cid`,
    );
    expect(postgresColumns.rows.map((row) => `${row.table_name}.${row.column_name}`)).toEqual(
      sqliteColumns.rows.map((row) => `${String(row.table_name)}.${String(row.column_name)}`),
    );
    const textColumns = postgresColumns.rows.filter(
      (row) => row.data_type === 'text' && row.table_name !== 'schema_migrations',
    );
    expect(textColumns.length).toBeGreaterThan(0);
    for (const column of textColumns) expect(column.collation_name).toBe('C');
  });
});

describe('PostgreSQL migrations', () => {
  it('applies the migrations once, in version order, when several processes start together', async () => {
    const schema = await schemaForTest();
    const migrations = await loadMigrations({ directory: POSTGRES_MIGRATIONS_DIRECTORY });
    const pools = Array.from(
      { length: 4 },
      () => new Pool({ connectionString: schema.url, options: `-c search_path=${schema.name}`, max: 1 }),
    );
    for (const pool of pools) disposables.push(() => pool.end());
    const runs = await Promise.all(pools.map((pool) => runPostgresMigrations({ pool, migrations })));
    expect(runs.flatMap((run) => run.applied.map((migration) => migration.name))).toEqual([
      '001_initial.sql',
      '002_scope_idempotency_keys.sql',
      '003_review.sql',
      '004_job_idempotency.sql',
      '005_leases.sql',
    ]);

    const directory = migrationsFolder({
      '020_second.sql': 'CREATE TABLE second (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY);',
      '030_tenth.sql': 'ALTER TABLE second ADD COLUMN label TEXT;',
    });
    const more = await loadMigrations({ directory });
    const { applied } = await runPostgresMigrations({ pool: schema.pool, migrations: [...more].reverse() });
    expect(applied.map((migration) => migration.name)).toEqual(['020_second.sql', '030_tenth.sql']);
    const versions = await schema.pool.query('SELECT version FROM schema_migrations ORDER BY version');
    expect(versions.rows.map((row: { version: number }) => row.version)).toEqual([1, 2, 3, 4, 5, 20, 30]);
    expect((await runPostgresMigrations({ pool: schema.pool, migrations: more })).applied).toEqual([]);
  });

  it('rolls back a failing migration, names its file, and releases the lock', async () => {
    const schema = await schemaForTest();
    const directory = migrationsFolder({
      '001_first.sql': 'CREATE TABLE first (id INTEGER PRIMARY KEY);',
      '002_broken.sql': 'CREATE TABLE half_done (id INTEGER);\nINSERT INTO no_such_table VALUES (1);',
    });
    const running = runPostgresMigrations({
      pool: schema.pool,
      migrations: await loadMigrations({ directory }),
    });
    await expect(running).rejects.toBeInstanceOf(UpstreamError);
    await expect(running).rejects.toThrow(/002_broken\.sql/);
    await expect(running).rejects.toHaveProperty('cause.message', expect.stringMatching(/no_such_table/));
    expect(await tableNames(schema.pool)).toEqual(['first', 'schema_migrations']);

    writeFileSync(path.join(directory, '002_broken.sql'), 'CREATE TABLE half_done (id INTEGER);');
    const other = new Pool({
      connectionString: schema.url,
      options: `-c search_path=${schema.name}`,
      max: 1,
    });
    disposables.push(() => other.end());
    const { applied } = await runPostgresMigrations({
      pool: other,
      migrations: await loadMigrations({ directory }),
    });
    expect(applied.map((migration) => migration.name)).toEqual(['002_broken.sql']);
  });

  it('runs the contract in a database whose default collation is linguistic, as on Aurora', async () => {
    expect(testDatabaseUrl()).toMatch(/\/rca_contract$/);
    const schema = await schemaForTest();
    const result = await schema.pool.query<{ provider: string; locale: string | null }>(
      `SELECT datlocprovider AS provider, daticulocale AS locale FROM pg_database
       WHERE datname = current_database()`,
    );
    expect(result.rows).toEqual([{ provider: 'i', locale: 'en-US' }]);
    const sorted = await schema.pool.query<{ value: string }>(
      "SELECT value FROM (VALUES ('B'), ('a')) AS t (value) ORDER BY value",
    );
    expect(sorted.rows.map((row) => row.value)).toEqual(['a', 'B']);
  });
});
