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
  type Generated,
} from 'kysely';
import { z } from 'zod';
import {
  CONFIRMED_REVIEW_STATES,
  ConflictError,
  ConsolidatedAnalysis,
  NotFoundError,
  UpstreamError,
  ValidationError,
} from '../../domain/index.ts';
import type { AnalysisStore, AuditEntry, BatchJob, Lease } from './analysis-store.ts';
import {
  ApiKeyRow,
  AuditDetails,
  AuditRow,
  BatchJobRecord,
  Count,
  DocumentRow,
  ExchangeCitations,
  ExchangeRow,
  IdempotencyRow,
  ReviewEventRow,
  ReviewedRow,
  StoredApiKeyRecord,
  UNFINISHED_JOB_STATUSES,
  analysisColumns,
  apiKeyFromRow,
  checkAuditLimit,
  oldestFirst,
  parseStoredDocument,
  replayedJob,
  reviewEventsFromRows,
  reviewedAnalysisFromRow,
  scopedIdempotencyKey,
  sortableInstant,
  validateForWrite,
} from './records.ts';

/** The columns of `api_keys` the store reads, in the order of {@link ApiKeyRow}. */
const API_KEY_SELECTION = [
  'id',
  'name',
  'facility',
  'secret_hash',
  'created_at',
  'revoked_at',
  'read_only',
  'evaluation',
] as const;

function toJson(value: unknown, what: string): string {
  try {
    return JSON.stringify(value);
  } catch (cause) {
    throw new ValidationError(`${what} cannot be stored as JSON`, { cause });
  }
}

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

/** The columns of the tables the shared store methods read and write beside the leases. */
interface StoreTables extends Tables {
  analyses: Tables['analyses'] & {
    review_state: Generated<string>;
    review: string | null;
    version: Generated<number>;
    evaluation_run: string | null;
    completed_at: string | null;
    facility: string | null;
    product_sku: string | null;
    defect_type: string | null;
    severity: string | null;
    stage: string | null;
    category_6m: string | null;
    defect_detected: number | null;
    api_key_id: string | null;
    idempotency_key: string | null;
    request_hash: string | null;
  };
  exchanges: {
    id: Generated<number>;
    defect_id: string;
    question: string;
    answer: string;
    agent: string;
    citations: string;
    asked_at: string;
    api_key_id: string | null;
  };
  jobs: {
    id: string;
    status: string;
    created_at: string;
    updated_at: string;
    api_key_id: string | null;
    document: string;
    idempotency_key: string | null;
    request_hash: string | null;
  };
  api_keys: {
    id: string;
    name: string;
    facility: string | null;
    secret_hash: string;
    created_at: string;
    revoked_at: string | null;
    read_only: number;
    evaluation: number;
  };
  review_events: {
    defect_id: string;
    version: number;
    position: number;
    at: string;
    event: string;
  };
  audit_log: {
    id: Generated<number>;
    at: string;
    actor: string;
    action: string;
    target: string | null;
    details: string;
  };
}

/** The SQL dialects of the adapters. */
export type Dialect = 'sqlite' | 'postgres';

const builders: Record<Dialect, Kysely<StoreTables>> = {
  sqlite: new Kysely<StoreTables>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (database) => new SqliteIntrospector(database),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  }),
  postgres: new Kysely<StoreTables>({
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
  /** Runs a compiled query on the adapter's driver: the rows as the driver returns them, and the rows a write changed. */
  run(query: SharedQuery): Promise<{ rows: readonly unknown[]; rowsAffected: number }>;
  /** Runs writes in one transaction: all of them are stored, or none. */
  runInTransaction(queries: readonly SharedQuery[]): Promise<void>;
  /** Whether a driver error is a unique (or primary key) violation. */
  isUniqueViolation(error: unknown): boolean;
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
  | 'createAnalysis'
  | 'saveAnalysis'
  | 'createBatch'
  | 'createJob'
  | 'findJobByIdempotencyKey'
  | 'listReviewEvents'
  | 'listConfirmedAnalyses'
  | 'createApiKey'
  | 'getAnalysis'
  | 'getReviewedAnalysis'
  | 'listPending'
  | 'listExchanges'
  | 'saveJob'
  | 'getJob'
  | 'listUnfinishedJobs'
  | 'getApiKey'
  | 'listApiKeys'
  | 'appendAudit'
  | 'listAudit'
  | 'claimPending'
  | 'countClaimable'
  | 'renewLeases'
  | 'releaseLeases'
  | 'hitRateLimit'
  | 'getRateLimit'
  | 'unhitRateLimit'
  | 'resetRateLimit'
>;

/**
 * The methods of an AnalysisStore whose SQL is the same in every dialect (reads by key, jobs, API
 * keys, the audit log, leases and rate limits), over a SQL driver; see {@link AnalysisStore}.
 */
export function sharedStoreMethods({
  dialect,
  run,
  runInTransaction,
  isUniqueViolation,
  guard,
}: SharedStoreDriver): SharedStoreMethods {
  const rowsOf = async <T>(query: SharedQuery, schema: z.ZodType<T>): Promise<T[]> =>
    (await run(query)).rows.map((row) => schema.parse(row));
  const database = builders[dialect];
  const analysisOf = (document: string): ConsolidatedAnalysis =>
    parseStoredDocument(ConsolidatedAnalysis, document, 'analysis');
  const jobOf = (document: string): BatchJob => parseStoredDocument(BatchJobRecord, document, 'job');
  const insertAnalysis = ({
    analysis,
    apiKeyId,
    idempotencyKey,
    requestHash,
    evaluationRun,
    lease,
  }: {
    analysis: ConsolidatedAnalysis;
    apiKeyId: string | null;
    idempotencyKey: string | null;
    requestHash: string | null;
    evaluationRun: string | null;
    lease: Lease | null;
  }): SharedQuery =>
    database
      .insertInto('analyses')
      .values({
        ...analysisColumns(analysis),
        api_key_id: apiKeyId,
        idempotency_key: idempotencyKey,
        request_hash: requestHash,
        evaluation_run: evaluationRun,
        lease_owner: lease?.owner ?? null,
        lease_expires_at: lease === null ? null : sortableInstant(lease.expiresAt),
        attempts: lease === null ? 0 : 1,
      })
      .compile();
  const insertJob = (job: BatchJob, idempotencyKey: string | null, requestHash: string | null): SharedQuery =>
    database
      .insertInto('jobs')
      .values({
        id: job.id,
        status: job.status,
        created_at: sortableInstant(job.createdAt),
        updated_at: sortableInstant(job.updatedAt),
        api_key_id: job.apiKeyId,
        document: toJson(job, 'job'),
        idempotency_key: idempotencyKey,
        request_hash: requestHash,
      })
      .compile();
  /** The analysis stored under a scoped idempotency key, or null; ConflictError when the hash differs. */
  const replay = async (
    idempotencyKey: string,
    requestHash: string | null,
  ): Promise<ConsolidatedAnalysis | null> => {
    const query = database
      .selectFrom('analyses')
      .select(['request_hash', 'document'])
      .where('idempotency_key', '=', idempotencyKey);
    const [row] = await rowsOf(query.compile(), IdempotencyRow);
    if (row === undefined) return null;
    if (row.request_hash !== requestHash) {
      throw new ConflictError('the idempotency key was already used with another request');
    }
    return analysisOf(row.document);
  };
  /** The job stored under a scoped idempotency key, with its request hash. */
  const findJob = async (
    idempotencyKey: string,
  ): Promise<{ job: BatchJob; requestHash: string | null } | null> => {
    const query = database
      .selectFrom('jobs')
      .select(['request_hash', 'document'])
      .where('idempotency_key', '=', idempotencyKey);
    const [row] = await rowsOf(query.compile(), IdempotencyRow);
    return row === undefined ? null : { job: jobOf(row.document), requestHash: row.request_hash };
  };

  return {
    async createAnalysis({ analysis, apiKeyId, idempotencyKey: sentKey, requestHash, evaluationRun, lease }) {
      const valid = validateForWrite(ConsolidatedAnalysis, analysis, 'analysis');
      const hash = requestHash ?? null;
      const idempotencyKey =
        sentKey === undefined ? undefined : scopedIdempotencyKey({ apiKeyId, idempotencyKey: sentKey });
      return guard('createAnalysis', async () => {
        if (idempotencyKey !== undefined) {
          const stored = await replay(idempotencyKey, hash);
          if (stored) return { analysis: stored, created: false };
        }
        try {
          await run(
            insertAnalysis({
              analysis: valid,
              apiKeyId,
              idempotencyKey: idempotencyKey ?? null,
              requestHash: hash,
              evaluationRun: evaluationRun ?? null,
              lease: lease ?? null,
            }),
          );
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
          if (idempotencyKey !== undefined) {
            const stored = await replay(idempotencyKey, hash);
            if (stored) return { analysis: stored, created: false };
          }
          throw new ConflictError(`analysis ${valid.defect_id} already exists`, { cause: error });
        }
        return { analysis: valid, created: true };
      });
    },

    async saveAnalysis({ analysis, leaseOwner }) {
      const valid = validateForWrite(ConsolidatedAnalysis, analysis, 'analysis');
      const columns = analysisColumns(valid);
      // Once a person reviewed the analysis, its classification columns keep the reviewed values;
      // a finished analysis keeps no lease.
      const unlessReviewed = <T>(value: T, column: string) =>
        sql<T>`CASE WHEN review IS NULL THEN ${value} ELSE ${sql.ref(column)} END`;
      const whilePending = (column: string) =>
        sql<string | null>`CASE WHEN ${columns.status} = 'pending' THEN ${sql.ref(column)} ELSE NULL END`;
      const query = database
        .updateTable('analyses')
        .set({
          status: columns.status,
          created_at: columns.created_at,
          completed_at: columns.completed_at,
          facility: columns.facility,
          product_sku: columns.product_sku,
          defect_type: unlessReviewed(columns.defect_type, 'defect_type'),
          severity: unlessReviewed(columns.severity, 'severity'),
          stage: unlessReviewed(columns.stage, 'stage'),
          category_6m: unlessReviewed(columns.category_6m, 'category_6m'),
          defect_detected: unlessReviewed(columns.defect_detected, 'defect_detected'),
          document: columns.document,
          lease_owner: whilePending('lease_owner'),
          lease_expires_at: whilePending('lease_expires_at'),
        })
        .where('defect_id', '=', columns.defect_id)
        .$if(leaseOwner !== undefined, (update) => update.where('lease_owner', '=', leaseOwner ?? ''));
      await guard('saveAnalysis', async () => {
        if ((await run(query.compile())).rowsAffected > 0) return;
        const exists = database
          .selectFrom('analyses')
          .select('defect_id')
          .where('defect_id', '=', valid.defect_id);
        if ((await run(exists.compile())).rows.length === 0) {
          throw new NotFoundError(`analysis ${valid.defect_id} does not exist`);
        }
        throw new ConflictError(
          `the lease on analysis ${valid.defect_id} was lost: another process holds it`,
        );
      });
    },

    async createBatch({ job, analyses, evaluationRun, idempotencyKey: sentKey, requestHash }) {
      const validJob = validateForWrite(BatchJobRecord, job, 'job');
      const valid = analyses.map((analysis) => validateForWrite(ConsolidatedAnalysis, analysis, 'analysis'));
      const idempotencyKey =
        sentKey === undefined
          ? null
          : scopedIdempotencyKey({ apiKeyId: validJob.apiKeyId, idempotencyKey: sentKey });
      const queries = [
        ...valid.map((analysis) =>
          insertAnalysis({
            analysis,
            apiKeyId: validJob.apiKeyId,
            idempotencyKey: null,
            requestHash: null,
            evaluationRun: evaluationRun ?? null,
            lease: null,
          }),
        ),
        insertJob(validJob, idempotencyKey, requestHash ?? null),
      ];
      return guard('createBatch', async () => {
        try {
          await runInTransaction(queries);
          return { job: validJob, created: true };
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
          if (idempotencyKey !== null) {
            const stored = await findJob(idempotencyKey);
            if (stored) return replayedJob(stored, requestHash ?? null);
          }
          throw new ConflictError(`job ${validJob.id} or one of its analyses already exists`, {
            cause: error,
          });
        }
      });
    },

    async createJob({ job, idempotencyKey: sentKey, requestHash }) {
      const valid = validateForWrite(BatchJobRecord, job, 'job');
      const idempotencyKey =
        sentKey === undefined
          ? null
          : scopedIdempotencyKey({ apiKeyId: valid.apiKeyId, idempotencyKey: sentKey });
      const query = insertJob(valid, idempotencyKey, requestHash ?? null);
      return guard('createJob', async () => {
        try {
          await run(query);
          return { job: valid, created: true };
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
          if (idempotencyKey !== null) {
            const stored = await findJob(idempotencyKey);
            if (stored) return replayedJob(stored, requestHash ?? null);
          }
          throw new ConflictError(`job ${valid.id} already exists`, { cause: error });
        }
      });
    },

    async findJobByIdempotencyKey({ apiKeyId, idempotencyKey }) {
      return guard('findJobByIdempotencyKey', () =>
        findJob(scopedIdempotencyKey({ apiKeyId, idempotencyKey })),
      );
    },

    async listReviewEvents({ defectId }) {
      const query = database
        .selectFrom('review_events')
        .select(['version', 'position', 'event'])
        .where('defect_id', '=', defectId)
        .orderBy('version')
        .orderBy('position');
      return guard('listReviewEvents', async () =>
        reviewEventsFromRows(await rowsOf(query.compile(), ReviewEventRow)),
      );
    },

    async listConfirmedAnalyses() {
      const query = database
        .selectFrom('analyses')
        .select(['document', 'review', 'version', 'evaluation_run'])
        .where('evaluation_run', 'is', null)
        .where('review_state', 'in', [...CONFIRMED_REVIEW_STATES])
        .orderBy('created_at')
        .orderBy('defect_id');
      return guard('listConfirmedAnalyses', async () =>
        (await rowsOf(query.compile(), ReviewedRow)).map(reviewedAnalysisFromRow),
      );
    },

    async createApiKey({ key }) {
      const valid = validateForWrite(StoredApiKeyRecord, key, 'API key');
      const query = database.insertInto('api_keys').values({
        id: valid.id,
        name: valid.name,
        facility: valid.facility,
        secret_hash: valid.secretHash,
        created_at: valid.createdAt,
        revoked_at: valid.revokedAt,
        read_only: valid.readOnly ? 1 : 0,
        evaluation: valid.evaluation ? 1 : 0,
      });
      await guard('createApiKey', async () => {
        try {
          await run(query.compile());
        } catch (error) {
          if (isUniqueViolation(error)) {
            throw new ConflictError(`API key ${valid.id} (or its secret) already exists`, { cause: error });
          }
          throw error;
        }
      });
    },

    async getAnalysis({ defectId }) {
      const query = database.selectFrom('analyses').select('document').where('defect_id', '=', defectId);
      return guard('getAnalysis', async () => {
        const [row] = await rowsOf(query.compile(), DocumentRow);
        return row === undefined ? null : analysisOf(row.document);
      });
    },

    async getReviewedAnalysis({ defectId }) {
      const query = database
        .selectFrom('analyses')
        .select(['document', 'review', 'version', 'evaluation_run'])
        .where('defect_id', '=', defectId);
      return guard('getReviewedAnalysis', async () => {
        const [row] = await rowsOf(query.compile(), ReviewedRow);
        return row === undefined
          ? null
          : { analysis: reviewedAnalysisFromRow(row), evaluationRun: row.evaluation_run };
      });
    },

    async listPending() {
      const query = database
        .selectFrom('analyses')
        .select('document')
        .where('status', '=', 'pending')
        .orderBy('created_at')
        .orderBy('defect_id');
      return guard('listPending', async () =>
        (await rowsOf(query.compile(), DocumentRow)).map((row) => analysisOf(row.document)),
      );
    },

    async listExchanges({ defectId }) {
      const query = database
        .selectFrom('exchanges')
        .select(['id', 'defect_id', 'question', 'answer', 'agent', 'citations', 'asked_at', 'api_key_id'])
        .where('defect_id', '=', defectId)
        .orderBy('id');
      return guard('listExchanges', async () =>
        (await rowsOf(query.compile(), ExchangeRow)).map((row) => ({
          id: row.id,
          defectId: row.defect_id,
          question: row.question,
          answer: row.answer,
          agent: row.agent,
          citations: parseStoredDocument(ExchangeCitations, row.citations, 'exchange citations'),
          askedAt: row.asked_at,
          apiKeyId: row.api_key_id,
        })),
      );
    },

    async saveJob({ job }) {
      const valid = validateForWrite(BatchJobRecord, job, 'job');
      const query = database
        .updateTable('jobs')
        .set({
          status: valid.status,
          created_at: sortableInstant(valid.createdAt),
          updated_at: sortableInstant(valid.updatedAt),
          api_key_id: valid.apiKeyId,
          document: toJson(valid, 'job'),
        })
        .where('id', '=', valid.id);
      await guard('saveJob', async () => {
        if ((await run(query.compile())).rowsAffected === 0) {
          throw new NotFoundError(`job ${valid.id} does not exist`);
        }
      });
    },

    async getJob({ id }) {
      const query = database.selectFrom('jobs').select('document').where('id', '=', id);
      return guard('getJob', async () => {
        const [row] = await rowsOf(query.compile(), DocumentRow);
        return row === undefined ? null : jobOf(row.document);
      });
    },

    async listUnfinishedJobs() {
      const query = database
        .selectFrom('jobs')
        .select('document')
        .where('status', 'in', [...UNFINISHED_JOB_STATUSES])
        .orderBy('created_at')
        .orderBy('id');
      return guard('listUnfinishedJobs', async () =>
        (await rowsOf(query.compile(), DocumentRow)).map((row) => jobOf(row.document)),
      );
    },

    async getApiKey({ id }) {
      const query = database.selectFrom('api_keys').select(API_KEY_SELECTION).where('id', '=', id);
      return guard('getApiKey', async () => {
        const [row] = await rowsOf(query.compile(), ApiKeyRow);
        return row === undefined ? null : apiKeyFromRow(row);
      });
    },

    async listApiKeys() {
      const query = database
        .selectFrom('api_keys')
        .select(API_KEY_SELECTION)
        .orderBy('created_at')
        .orderBy('id');
      return guard('listApiKeys', async () => (await rowsOf(query.compile(), ApiKeyRow)).map(apiKeyFromRow));
    },

    async appendAudit({ entry }) {
      const details = toJson(validateForWrite(AuditDetails, entry.details, 'audit details'), 'audit details');
      const query = database.insertInto('audit_log').values({
        at: entry.at,
        actor: entry.actor,
        action: entry.action,
        target: entry.target,
        details,
      });
      await guard('appendAudit', async () => {
        await run(query.compile());
      });
    },

    async listAudit({ limit }) {
      const query = database
        .selectFrom('audit_log')
        .select(['at', 'actor', 'action', 'target', 'details'])
        .orderBy('id', 'desc')
        .limit(checkAuditLimit(limit));
      return guard('listAudit', async () =>
        (await rowsOf(query.compile(), AuditRow)).map((row): AuditEntry => ({
          at: row.at,
          actor: row.actor,
          action: row.action,
          target: row.target,
          details: parseStoredDocument(AuditDetails, row.details, 'audit details'),
        })),
      );
    },

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
