/**
 * Queries both SQL adapters run, written once with Kysely and compiled for each dialect, and the
 * store methods over them: the leases of pending analyses and the rate-limit counters. Kysely
 * only builds and compiles here (a `DummyDriver`); each adapter runs the compiled SQL and
 * parameters on its own driver (libsql or pg), inside its own error handling.
 */
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  sql,
  type CompiledQuery,
} from 'kysely';
import { z } from 'zod';
import { ConsolidatedAnalysis, UpstreamError } from '../../domain/index.ts';
import type { AnalysisStore } from './analysis-store.ts';
import { Count, oldestFirst, parseStoredDocument, sortableInstant } from './records.ts';

/** The columns of the tables these queries read and write. */
interface Tables {
  analyses: {
    defect_id: string;
    status: string;
    created_at: string;
    document: string;
    lease_owner: string | null;
    lease_expires_at: string | null;
    attempts: number;
  };
  rate_limits: {
    key: string;
    hits: number;
    reset_at: string;
  };
}

/** The SQL dialects of the adapters. */
export type Dialect = 'sqlite' | 'postgres';

const builders: Record<Dialect, Kysely<Tables>> = {
  sqlite: new Kysely<Tables>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (database) => new SqliteIntrospector(database),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  }),
  postgres: new Kysely<Tables>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (database) => new PostgresIntrospector(database),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  }),
};

/** A compiled query: its SQL in the dialect's placeholders, and its parameters in order. */
export type SharedQuery = CompiledQuery;

/**
 * Claims up to `limit` pending analyses whose lease is free or lapsed before `now` (of `defectIds`
 * only, when given), oldest first, for `owner` until `expiresAt`, counting the attempt; returns
 * their documents and attempts. On PostgreSQL the candidates are locked with SKIP LOCKED, so that
 * concurrent claims take other rows instead of waiting; SQLite has one writer at a time.
 */
export function claimPendingQuery(
  dialect: Dialect,
  {
    owner,
    expiresAt,
    now,
    limit,
    defectIds,
  }: { owner: string; expiresAt: string; now: string; limit: number; defectIds?: readonly string[] },
): SharedQuery {
  const database = builders[dialect];
  const candidates = database
    .selectFrom('analyses')
    .select('defect_id')
    .where('status', '=', 'pending')
    .where((where) => where.or([where('lease_expires_at', 'is', null), where('lease_expires_at', '<', now)]))
    .$if(defectIds !== undefined, (query) => query.where('defect_id', 'in', [...(defectIds ?? [])]))
    .orderBy('created_at')
    .orderBy('defect_id')
    .limit(limit)
    .$if(dialect === 'postgres', (query) => query.forUpdate().skipLocked());
  return database
    .updateTable('analyses')
    .set({ lease_owner: owner, lease_expires_at: expiresAt, attempts: sql<number>`attempts + 1` })
    .where('defect_id', 'in', candidates)
    .returning(['document', 'attempts'])
    .compile();
}

/** The pending analyses free to claim at `now`, as `count`. */
export function countClaimableQuery(dialect: Dialect, { now }: { now: string }): SharedQuery {
  return builders[dialect]
    .selectFrom('analyses')
    .select((select) => select.fn.countAll<number>().as('count'))
    .where('status', '=', 'pending')
    .where((where) => where.or([where('lease_expires_at', 'is', null), where('lease_expires_at', '<', now)]))
    .compile();
}

/** Extends the leases `owner` holds on pending analyses among `defectIds`; returns their defect ids. */
export function renewLeasesQuery(
  dialect: Dialect,
  { owner, expiresAt, defectIds }: { owner: string; expiresAt: string; defectIds: readonly string[] },
): SharedQuery {
  return builders[dialect]
    .updateTable('analyses')
    .set({ lease_expires_at: expiresAt })
    .where('lease_owner', '=', owner)
    .where('status', '=', 'pending')
    .where('defect_id', 'in', [...defectIds])
    .returning('defect_id')
    .compile();
}

/** Clears the leases `owner` holds among `defectIds`. */
export function releaseLeasesQuery(
  dialect: Dialect,
  { owner, defectIds }: { owner: string; defectIds: readonly string[] },
): SharedQuery {
  return builders[dialect]
    .updateTable('analyses')
    .set({ lease_owner: null, lease_expires_at: null })
    .where('lease_owner', '=', owner)
    .where('defect_id', 'in', [...defectIds])
    .compile();
}

/**
 * Counts `hits` for a rate-limit key: a window ending at `windowEnd` starts when the key has none
 * or its window ended by `now`. Returns `hits` and `reset_at`.
 */
export function hitRateLimitQuery(
  dialect: Dialect,
  { key, hits, now, windowEnd }: { key: string; hits: number; now: string; windowEnd: string },
): SharedQuery {
  return builders[dialect]
    .insertInto('rate_limits')
    .values({ key, hits, reset_at: windowEnd })
    .onConflict((conflict) =>
      conflict.column('key').doUpdateSet({
        hits: sql<number>`CASE WHEN rate_limits.reset_at <= ${now} THEN excluded.hits ELSE rate_limits.hits + excluded.hits END`,
        reset_at: sql<string>`CASE WHEN rate_limits.reset_at <= ${now} THEN excluded.reset_at ELSE rate_limits.reset_at END`,
      }),
    )
    .returning(['hits', 'reset_at'])
    .compile();
}

/** The hits and window end of a rate-limit key whose window has not ended by `now`. */
export function getRateLimitQuery(dialect: Dialect, { key, now }: { key: string; now: string }): SharedQuery {
  return builders[dialect]
    .selectFrom('rate_limits')
    .select(['hits', 'reset_at'])
    .where('key', '=', key)
    .where('reset_at', '>', now)
    .compile();
}

/** Takes one hit of a rate-limit key back, never below zero. */
export function unhitRateLimitQuery(dialect: Dialect, { key }: { key: string }): SharedQuery {
  return builders[dialect]
    .updateTable('rate_limits')
    .set({ hits: sql<number>`hits - 1` })
    .where('key', '=', key)
    .where('hits', '>', 0)
    .compile();
}

/** Forgets a rate-limit key. */
export function resetRateLimitQuery(dialect: Dialect, { key }: { key: string }): SharedQuery {
  return builders[dialect].deleteFrom('rate_limits').where('key', '=', key).compile();
}

/** What {@link sharedStoreMethods} needs of an adapter: its dialect, a runner and its error wrapper. */
export interface SharedStoreDriver {
  dialect: Dialect;
  /** Runs a compiled query on the adapter's driver; the rows as the driver returns them. */
  run(query: SharedQuery): Promise<{ rows: readonly unknown[] }>;
  /** The adapter's wrapper of one store operation (its driver errors become UpstreamErrors). */
  guard<T>(operation: string, work: () => Promise<T>): Promise<T>;
}

const ClaimedRow = z.object({ document: z.string(), attempts: Count });
const LeasedIdRow = z.object({ defect_id: z.string() });
const CountRow = z.object({ count: Count });
const RateLimitRow = z.object({ hits: Count, reset_at: z.string() });

/** The store methods whose queries are shared: the same code on every SQL adapter. */
export type SharedStoreMethods = Pick<
  AnalysisStore,
  | 'claimPending'
  | 'countClaimable'
  | 'renewLeases'
  | 'releaseLeases'
  | 'hitRateLimit'
  | 'getRateLimit'
  | 'unhitRateLimit'
  | 'resetRateLimit'
>;

/** The lease and rate-limit methods of an AnalysisStore over a SQL driver; see {@link AnalysisStore}. */
export function sharedStoreMethods({ dialect, run, guard }: SharedStoreDriver): SharedStoreMethods {
  const rowsOf = async <T>(query: SharedQuery, schema: z.ZodType<T>): Promise<T[]> =>
    (await run(query)).rows.map((row) => schema.parse(row));
  return {
    async claimPending({ lease, now, limit, defectIds }) {
      if (defectIds?.length === 0) return [];
      const query = claimPendingQuery(dialect, {
        owner: lease.owner,
        expiresAt: sortableInstant(lease.expiresAt),
        now: sortableInstant(now),
        limit,
        ...(defectIds === undefined ? {} : { defectIds }),
      });
      return guard('claimPending', async () =>
        (await rowsOf(query, ClaimedRow))
          .map((row) => ({
            analysis: parseStoredDocument(ConsolidatedAnalysis, row.document, 'analysis'),
            attempts: row.attempts,
          }))
          .sort(oldestFirst),
      );
    },

    async countClaimable({ now }) {
      return guard('countClaimable', async () => {
        const [row] = await rowsOf(countClaimableQuery(dialect, { now: sortableInstant(now) }), CountRow);
        return row?.count ?? 0;
      });
    },

    async renewLeases({ lease, defectIds }) {
      if (defectIds.length === 0) return [];
      const query = renewLeasesQuery(dialect, {
        owner: lease.owner,
        expiresAt: sortableInstant(lease.expiresAt),
        defectIds,
      });
      return guard('renewLeases', async () => (await rowsOf(query, LeasedIdRow)).map((row) => row.defect_id));
    },

    async releaseLeases({ owner, defectIds }) {
      if (defectIds.length === 0) return;
      await guard('releaseLeases', async () => {
        await run(releaseLeasesQuery(dialect, { owner, defectIds }));
      });
    },

    async hitRateLimit({ key, hits, windowMs, now }) {
      const query = hitRateLimitQuery(dialect, {
        key,
        hits,
        now: sortableInstant(now),
        windowEnd: sortableInstant(new Date(now.getTime() + windowMs)),
      });
      return guard('hitRateLimit', async () => {
        const [row] = await rowsOf(query, RateLimitRow);
        if (row === undefined) throw new UpstreamError('the rate-limit counter returned no row');
        return { totalHits: row.hits, resetAt: row.reset_at };
      });
    },

    async getRateLimit({ key, now }) {
      return guard('getRateLimit', async () => {
        const [row] = await rowsOf(
          getRateLimitQuery(dialect, { key, now: sortableInstant(now) }),
          RateLimitRow,
        );
        return row === undefined ? null : { totalHits: row.hits, resetAt: row.reset_at };
      });
    },

    async unhitRateLimit({ key }) {
      await guard('unhitRateLimit', async () => {
        await run(unhitRateLimitQuery(dialect, { key }));
      });
    },

    async resetRateLimit({ key }) {
      await guard('resetRateLimit', async () => {
        await run(resetRateLimitQuery(dialect, { key }));
      });
    },
  };
}
