import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamError, ValidationError } from '../../../domain/index.ts';
import { loadMigrations } from '../migration-files.ts';
import { fixtureTime, makeAnalysis, makeExchange, makeJob } from '../testing/fixtures.ts';
import { describeAnalysisStoreContract } from '../testing/store-contract.ts';
import { runMigrations } from './migrate.ts';
import { openSqliteStore } from './sqlite-store.ts';

describeAnalysisStoreContract('SQLite in memory', async () => {
  const store = await openSqliteStore({ url: ':memory:' });
  return { store, cleanup: () => store.close() };
});

describeAnalysisStoreContract('SQLite file', async () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'rca-store-'));
  const store = await openSqliteStore({ url: `file:${path.join(directory, 'data', 'rca.db')}` });
  return {
    store,
    async cleanup() {
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
});

/** Folders and clients a test made, removed after it. */
const disposables: Array<() => void> = [];

afterEach(() => {
  for (const dispose of disposables.splice(0).reverse()) dispose();
});

function temporaryDirectory(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'rca-store-'));
  disposables.push(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

function rawClient(url: string): Client {
  const client = createClient({ url });
  disposables.push(() => client.close());
  return client;
}

async function tableNames(client: Client): Promise<string[]> {
  const result = await client.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  return result.rows.map((row) => String(row.name));
}

describe('SQLite store on disk', () => {
  it('keeps its data across close and reopen, in WAL mode, without applying the migrations again, and refuses to edit the audit trail', async () => {
    const url = `file:${path.join(temporaryDirectory(), 'rca.db')}`;
    const analysis = makeAnalysis({ n: 1 });
    const job = makeJob({ id: 'job-1', status: 'running', createdAt: fixtureTime(1) });
    const firstOpen = new Date('2026-03-01T00:00:00.000Z');

    const store = await openSqliteStore({ url, now: () => firstOpen });
    await store.createAnalysis({ analysis, apiKeyId: 'key-1', idempotencyKey: 'idem-1', requestHash: 'h' });
    const exchange = await store.appendExchange(
      makeExchange({ defectId: analysis.defect_id, question: 'Why?', askedAt: fixtureTime(2) }),
    );
    await store.createJob({ job });
    await store.close();

    const reopened = await openSqliteStore({ url, now: () => new Date('2026-04-01T00:00:00.000Z') });
    try {
      expect(await reopened.getAnalysis({ defectId: analysis.defect_id })).toEqual(analysis);
      expect(await reopened.listExchanges({ defectId: analysis.defect_id })).toEqual([exchange]);
      expect(await reopened.listUnfinishedJobs()).toEqual([job]);
      const replay = await reopened.createAnalysis({
        analysis: makeAnalysis({ n: 2 }),
        apiKeyId: 'key-1',
        idempotencyKey: 'idem-1',
        requestHash: 'h',
      });
      expect(replay).toEqual({ analysis, created: false });
    } finally {
      await reopened.close();
    }

    const client = rawClient(url);
    await client.execute({
      sql: `INSERT INTO review_events (defect_id, version, position, at, event) VALUES (?, 2, 1, '', '{}')`,
      args: [analysis.defect_id],
    });
    await expect(client.execute('UPDATE review_events SET event = ?', ['{"edited":true}'])).rejects.toThrow(
      /append-only/,
    );
    await expect(client.execute('DELETE FROM review_events')).rejects.toThrow(/append-only/);
    const migrations = await client.execute('SELECT version, name, applied_at FROM schema_migrations');
    expect(migrations.rows.map((row) => ({ ...row }))).toEqual([
      { version: 1, name: '001_initial.sql', applied_at: firstOpen.toISOString() },
      { version: 2, name: '002_scope_idempotency_keys.sql', applied_at: firstOpen.toISOString() },
      { version: 3, name: '003_review.sql', applied_at: firstOpen.toISOString() },
      { version: 4, name: '004_job_idempotency.sql', applied_at: firstOpen.toISOString() },
      { version: 5, name: '005_leases.sql', applied_at: firstOpen.toISOString() },
    ]);
    const journal = await client.execute('PRAGMA journal_mode');
    expect(journal.rows[0]?.journal_mode).toBe('wal');
  });

  it('serves concurrent calls, and a second store on the same file', async () => {
    const url = `file:${path.join(temporaryDirectory(), 'rca.db')}`;
    const store = await openSqliteStore({ url });
    const other = await openSqliteStore({ url });
    try {
      const analyses = Array.from({ length: 20 }, (_, index) => makeAnalysis({ n: index + 1 }));
      await Promise.all(
        analyses.map((analysis, index) =>
          (index % 2 === 0 ? store : other).createAnalysis({ analysis, apiKeyId: null }),
        ),
      );
      const [mine, theirs] = await Promise.all([store.listAnalyses({ limit: 200 }), other.stats({})]);
      expect(mine.items).toHaveLength(20);
      expect(theirs.total).toBe(20);
    } finally {
      await store.close();
      await other.close();
    }
  });

  it('creates the folder of the database file', async () => {
    const directory = path.join(temporaryDirectory(), 'a', 'b');
    const store = await openSqliteStore({ url: `file:${path.join(directory, 'rca.db')}` });
    await store.ping();
    await store.close();
    const client = rawClient(`file:${path.join(directory, 'rca.db')}`);
    expect(await tableNames(client)).toEqual(
      expect.arrayContaining(['analyses', 'api_keys', 'audit_log', 'exchanges', 'jobs', 'schema_migrations']),
    );
  });

  it('names the database, not its query string, when it cannot be opened', async () => {
    const opening = openSqliteStore({ url: 'file://elsewhere/rca.db?authToken=secret' });
    await expect(opening).rejects.toBeInstanceOf(UpstreamError);
    await expect(opening).rejects.toThrow(/file:\/\/elsewhere\/rca\.db$/);
    await expect(opening).rejects.toHaveProperty('cause');
  });
});

describe('SQLite store errors', () => {
  it('fails to open a database file that is a folder', async () => {
    const directory = temporaryDirectory();
    mkdirSync(path.join(directory, 'rca.db'));
    const opening = openSqliteStore({ url: `file:${path.join(directory, 'rca.db')}` });
    await expect(opening).rejects.toBeInstanceOf(UpstreamError);
    await expect(opening).rejects.toHaveProperty('cause');
  });

  it('wraps driver errors in an UpstreamError with the driver error as cause', async () => {
    const store = await openSqliteStore({ url: ':memory:' });
    await store.close();
    const pinging = store.ping();
    await expect(pinging).rejects.toBeInstanceOf(UpstreamError);
    await expect(pinging).rejects.toHaveProperty('cause.code', 'CLIENT_CLOSED');
  });

  it('reports a stored document that no longer matches the schema', async () => {
    const client = createClient({ url: ':memory:' });
    const store = await openSqliteStore({ url: ':memory:', client });
    try {
      const analysis = makeAnalysis({ n: 1 });
      await store.createAnalysis({ analysis, apiKeyId: null });
      await client.execute({ sql: 'UPDATE analyses SET document = \'{"status":"lost"}\'', args: [] });
      const reading = store.getAnalysis({ defectId: analysis.defect_id });
      await expect(reading).rejects.toBeInstanceOf(UpstreamError);
      await expect(reading).rejects.toHaveProperty('cause.name', 'ZodError');
    } finally {
      await store.close();
    }
  });

  it('refuses to store an analysis that does not match the schema', async () => {
    const store = await openSqliteStore({ url: ':memory:' });
    try {
      const analysis = { ...makeAnalysis({ n: 1 }), defect_id: 'DEF-1' };
      await expect(store.createAnalysis({ analysis, apiKeyId: null })).rejects.toBeInstanceOf(
        ValidationError,
      );
      await expect(store.saveAnalysis({ analysis })).rejects.toBeInstanceOf(ValidationError);
    } finally {
      await store.close();
    }
  });
});

describe('SQLite migrations', () => {
  function migrationsFolder(files: Record<string, string>): string {
    const directory = temporaryDirectory();
    for (const [name, sql] of Object.entries(files)) writeFileSync(path.join(directory, name), sql);
    return directory;
  }

  it('applies the migrations once, in version order', async () => {
    const client = rawClient(':memory:');
    const migrations = await loadMigrations();
    expect(migrations.map((migration) => migration.name)).toEqual([
      '001_initial.sql',
      '002_scope_idempotency_keys.sql',
      '003_review.sql',
      '004_job_idempotency.sql',
      '005_leases.sql',
    ]);
    expect((await runMigrations({ client, migrations })).applied).toEqual(migrations);
    expect((await runMigrations({ client, migrations })).applied).toEqual([]);

    const directory = migrationsFolder({
      '020_second.sql': 'CREATE TABLE second (id INTEGER PRIMARY KEY);',
      '030_tenth.sql': 'ALTER TABLE second ADD COLUMN label TEXT;',
      'README.md': 'not a migration',
    });
    const more = await loadMigrations({ directory });
    expect(more.map((migration) => migration.version)).toEqual([20, 30]);
    const { applied } = await runMigrations({ client, migrations: [...more].reverse() });
    expect(applied.map((migration) => migration.name)).toEqual(['020_second.sql', '030_tenth.sql']);
    const versions = await client.execute('SELECT version FROM schema_migrations ORDER BY version');
    expect(versions.rows.map((row) => row.version)).toEqual([1, 2, 3, 4, 5, 20, 30]);
  });

  it('keeps replaying an idempotency key stored before keys were scoped by API key', async () => {
    const url = `file:${path.join(temporaryDirectory(), 'rca.db')}`;
    const client = rawClient(url);
    const [initial] = await loadMigrations();
    if (!initial) throw new Error('no initial migration');
    await runMigrations({ client, migrations: [initial] });
    const analysis = makeAnalysis({ n: 1 });
    await client.execute({
      sql: `INSERT INTO analyses (defect_id, status, created_at, api_key_id, idempotency_key, request_hash, document)
        VALUES (?, ?, ?, ?, ?, ?, ?)`,
      args: [
        analysis.defect_id,
        analysis.status,
        analysis.created_at,
        'key-1',
        'idem-1',
        'h',
        JSON.stringify(analysis),
      ],
    });
    client.close();

    const store = await openSqliteStore({ url });
    try {
      const retry = { analysis: makeAnalysis({ n: 2 }), idempotencyKey: 'idem-1', requestHash: 'h' };
      expect(await store.createAnalysis({ ...retry, apiKeyId: 'key-1' })).toEqual({
        analysis,
        created: false,
      });
      expect((await store.createAnalysis({ ...retry, apiKeyId: 'key-2' })).created).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('rolls back a failing migration and names its file', async () => {
    const client = rawClient(':memory:');
    const directory = migrationsFolder({
      '001_first.sql': 'CREATE TABLE first (id INTEGER PRIMARY KEY);',
      '002_broken.sql': 'CREATE TABLE half_done (id INTEGER);\nINSERT INTO no_such_table VALUES (1);',
    });
    const running = runMigrations({ client, migrations: await loadMigrations({ directory }) });
    await expect(running).rejects.toBeInstanceOf(UpstreamError);
    await expect(running).rejects.toThrow(/002_broken\.sql/);
    await expect(running).rejects.toHaveProperty('cause.message', expect.stringMatching(/no_such_table/));

    const versions = await client.execute('SELECT version FROM schema_migrations');
    expect(versions.rows.map((row) => row.version)).toEqual([1]);
    expect(await tableNames(client)).toEqual(['first', 'schema_migrations']);

    writeFileSync(path.join(directory, '002_broken.sql'), 'CREATE TABLE half_done (id INTEGER);');
    const { applied } = await runMigrations({ client, migrations: await loadMigrations({ directory }) });
    expect(applied.map((migration) => migration.name)).toEqual(['002_broken.sql']);
  });

  it('refuses migration files it cannot order', async () => {
    await expect(loadMigrations({ directory: migrationsFolder({ 'initial.sql': '' }) })).rejects.toThrow(
      /initial\.sql/,
    );
    await expect(
      loadMigrations({ directory: migrationsFolder({ '001_a.sql': '', '1_b.sql': '' }) }),
    ).rejects.toThrow(/001_a\.sql and 1_b\.sql/);
  });
});
