import { Pool } from 'pg';
import type { AnalysisStore } from '../../persistence/analysis-store.ts';
import { openPostgresStore } from '../../persistence/postgres/postgres-store.ts';
import { openSqliteStore } from '../../persistence/sqlite/sqlite-store.ts';
import { openPgBossWorkQueue } from '../pg-boss/pg-boss-work-queue.ts';
import { createStoreWorkQueue } from '../store-work-queue.ts';
import type { WorkQueue } from '../work-queue.ts';

/**
 * Where a queue under test keeps its work, as plain data, so that a child process opens the same
 * one: the embedded store on a SQLite file, or pg-boss over a PostgreSQL schema.
 */
export type QueueLocation =
  | { kind: 'sqlite'; url: string }
  | { kind: 'pg-boss'; connectionString: string; schema: string; bossSchema: string };

/** A store and a queue opened on a location, as one process of a test opens them. */
export interface OpenedQueue {
  store: AnalysisStore;
  queue: WorkQueue;
  close(): Promise<void>;
}

/** Opens the store and the queue of a location, with its own connections (as another process would). */
export async function openQueueAt(
  location: QueueLocation,
  { leaseMs, now }: { leaseMs: number; now?: () => Date },
): Promise<OpenedQueue> {
  if (location.kind === 'sqlite') {
    const store = await openSqliteStore({ url: location.url });
    const queue = createStoreWorkQueue({ store, leaseMs, ...(now ? { now } : {}) });
    return {
      store,
      queue,
      async close() {
        await queue.close();
        await store.close();
      },
    };
  }
  const pool = new Pool({
    connectionString: location.connectionString,
    options: `-c search_path=${location.schema}`,
    max: 4,
  });
  pool.on('error', () => {});
  const store = await openPostgresStore({ connectionString: location.connectionString, pool });
  const queue = await openPgBossWorkQueue({
    store,
    pool,
    schema: location.bossSchema,
    leaseMs,
    sweepMs: Math.max(1, Math.floor(leaseMs / 4)),
    ...(now ? { now } : {}),
  });
  return {
    store,
    queue,
    async close() {
      await queue.close();
      await store.close();
      await pool.end();
    },
  };
}
