/**
 * Queries both SQL adapters run, written once with Kysely and compiled for each dialect: the
 * leases of pending analyses and the rate-limit counters. Kysely only builds and compiles here (a
 * `DummyDriver`); each adapter runs the compiled SQL and parameters on its own driver (libsql or
 * pg), inside its own error handling.
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
