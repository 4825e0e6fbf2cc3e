import { Pool, type PoolClient, type QueryResult, type QueryResultRow } from 'pg';
import { z } from 'zod';
import { UNSPECIFIED, type DefectOccurrence } from '../../../action-groups/recurrence/defect-history.ts';
import {
  CONFIRMED_REVIEW_STATES,
  NotFoundError,
  PreconditionFailedError,
  Review,
  UpstreamError,
  ValidationError,
  isDomainError,
} from '../../../domain/index.ts';
import type { AnalysisStats, AnalysisStore } from '../analysis-store.ts';
import { loadMigrations } from '../migration-files.ts';
import { sharedStoreMethods, type SharedQuery } from '../shared-queries.ts';
import {
  API_KEY_COLUMNS,
  REVIEWED_COLUMNS,
  ReviewedRow,
  apiKeyFromRow,
  containsPattern,
  reviewColumns,
  reviewEventRows,
  reviewedAnalysisFromRow,
  ExchangeCitations,
  checkListLimit,
  decodeCursor,
  encodeCursor,
  sortableInstant,
  validateForWrite,
} from '../records.ts';
import { POSTGRES_MIGRATIONS_DIRECTORY, runPostgresMigrations } from './migrate.ts';
import {
  isForeignKeyViolation,
  isRetryablePostgresError,
  isUniqueViolation,
  isUnstorableText,
  redactConnectionString,
} from './postgres-errors.ts';
import { Count, ApiKeyRow, IdRow, ListedRow, OccurrenceRow, RootCauseRow } from '../records.ts';

/** Options of {@link openPostgresStore}. */
export interface PostgresStoreOptions {
  /**
   * The database, e.g. `postgresql://rca@db.internal:5432/rca?sslmode=verify-full`. The store
   * creates a pool on it unless `pool` is given; then it only names the database in errors
   * (without its password or query string).
   */
  connectionString: string;
  /**
   * A pool to use instead of creating one. The caller owns it: `close()` leaves it open, and the
   * caller listens to its `error` events. Its `search_path` decides the schema of the tables.
   */
  pool?: Pool;
  /** Clock of the `applied_at` column of `schema_migrations`. */
  now?: () => Date;
}

/** Connections of a pool the store creates. */
const POOL_SIZE = 10;
/** How long a call waits for a free connection of a pool the store creates. */
const CONNECT_TIMEOUT_MS = 10_000;
/** The most frequent root-cause groups {@link AnalysisStats.topRootCauses} returns. */
const TOP_ROOT_CAUSES = 5;
/** Example defect ids per root-cause group, newest first. */
const ROOT_CAUSE_EXAMPLES = 3;

/**
 * Opens the AnalysisStore on PostgreSQL (e.g. Aurora Serverless v2) through a `pg` pool, and
 * migrates it to the newest schema of `api/persistence/postgres/migrations` (once, however many
 * processes start together). It has the semantics of the SQLite adapter: the same listing
 * order and cursors, idempotency keys, stats and errors. A lost connection, a server shutting
 * down, a serialization failure or a deadlock is an UpstreamError with `isRetryable: true`.
 *
 * A pool the store creates logs nothing: an idle connection that breaks is dropped from the pool
 * and the next call reports the failure.
 *
 * @throws UpstreamError when the database cannot be reached or a migration fails
 */
export async function openPostgresStore({
  connectionString,
  pool: injected,
  now,
}: PostgresStoreOptions): Promise<AnalysisStore> {
  const where = redactConnectionString(connectionString);
  let pool: Pool;
  try {
    pool =
      injected ?? new Pool({ connectionString, max: POOL_SIZE, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  } catch (cause) {
    throw new UpstreamError(`cannot open the analysis store at ${where}`, { cause });
  }
  const ignoreIdleError = (): void => {};
  if (!injected) pool.on('error', ignoreIdleError);
  try {
    await runPostgresMigrations({
      pool,
      migrations: await loadMigrations({ directory: POSTGRES_MIGRATIONS_DIRECTORY }),
      now,
    });
  } catch (cause) {
    if (!injected) await pool.end().catch(() => undefined);
    const reason = cause instanceof Error ? `: ${cause.message}` : '';
    throw new UpstreamError(`cannot open the analysis store at ${where}${reason}`, {
      cause,
      isRetryable: isDomainError(cause) ? cause.isRetryable : isRetryablePostgresError(cause),
    });
  }
  return createPostgresStore({
    pool,
    async end() {
      if (injected) return;
      await pool.end();
      pool.off('error', ignoreIdleError);
    },
  });
}

/** Runs one store operation; a driver error becomes an UpstreamError with the driver error as `cause`. */
async function guard<T>(operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (cause) {
    if (isDomainError(cause)) throw cause;
    if (isUnstorableText(cause)) {
      throw new ValidationError(`analysis store: ${operation} was given text PostgreSQL cannot store`, {
        cause,
      });
    }
    throw new UpstreamError(`analysis store: ${operation} failed`, {
      cause,
      isRetryable: isRetryablePostgresError(cause),
    });
  }
}

function decodeRows<T>(result: QueryResult<QueryResultRow>, schema: z.ZodType<T>): T[] {
  return result.rows.map((row) => schema.parse(row));
}

function toJson(value: unknown, what: string): string {
  try {
    return JSON.stringify(value);
  } catch (cause) {
    throw new ValidationError(`${what} cannot be stored as JSON`, { cause });
  }
}

/** A value bound to a numbered parameter. */
type Parameter = string | number | null;

/** The conditions of a WHERE clause and their numbered parameters (`$1`, `$2`, …). */
class Conditions {
  readonly clauses: string[] = [];
  readonly args: Parameter[] = [];

  /** Adds a clause; each `?` in it becomes the next numbered parameter, bound to the next arg. */
  add(clause: string, ...args: Parameter[]): this {
    let index = 0;
    const numbered = clause.replaceAll('?', () => {
      const value = args[index];
      index += 1;
      if (value === undefined) throw new Error(`clause ${clause} has more placeholders than arguments`);
      return this.param(value);
    });
    if (index !== args.length) throw new Error(`clause ${clause} has fewer placeholders than arguments`);
    this.clauses.push(numbered);
    return this;
  }

  addIf(value: Parameter | undefined, clause: string): this {
    return value === undefined ? this : this.add(clause, value);
  }

  /** Binds a value and returns its placeholder, for clauses outside the WHERE (e.g. LIMIT). */
  param(value: Parameter): string {
    this.args.push(value);
    return `$${this.args.length}`;
  }

  where(...extra: string[]): string {
    const all = [...this.clauses, ...extra];
    return all.length === 0 ? '' : ` WHERE ${all.join(' AND ')}`;
  }
}

/** PostgreSQL returns COUNT(*) and BIGINT as strings. */
const GroupedCountRow = z.object({
  dimension: z.enum(['total', 'status', 'defect_type', 'severity', 'stage', 'facility', 'review_state']),
  value: z.string().nullable(),
  count: Count,
  with_defect: Count,
  confirmed: Count,
});
const OccurrenceCountRow = z.object({
  dimension: z.enum(['facility', 'stage', 'unconfirmed']),
  value: z.string().nullable(),
  count: Count,
});
const DefectIdRow = z.object({ defect_id: z.string() });

/** The fields of {@link AnalysisStats} counted by one column, keyed by that column. */
const GROUPED_FIELDS = {
  status: 'byStatus',
  defect_type: 'byType',
  severity: 'bySeverity',
  stage: 'byStage',
  facility: 'byFacility',
  review_state: 'byReviewState',
} as const;

/** Production analyses only: evaluation runs stay out of history, stats and recurrence. */
const PRODUCTION = 'evaluation_run IS NULL';

/** The SQL list of the confirmed review states. */
const CONFIRMED_STATES_SQL = CONFIRMED_REVIEW_STATES.map((state) => `'${state}'`).join(', ');

/**
 * The totals and the counts by status, type, severity, stage and facility of the analyses
 * matching `where`, in one scan: one row per grouping set, `dimension` naming it.
 */
function groupedCountsSql(where: string): string {
  return `SELECT
      CASE
        WHEN GROUPING(status) = 0 THEN 'status'
        WHEN GROUPING(defect_type) = 0 THEN 'defect_type'
        WHEN GROUPING(severity) = 0 THEN 'severity'
        WHEN GROUPING(stage) = 0 THEN 'stage'
        WHEN GROUPING(facility) = 0 THEN 'facility'
        WHEN GROUPING(review_state) = 0 THEN 'review_state'
        ELSE 'total'
      END AS dimension,
      COALESCE(status, defect_type, severity, stage, facility, review_state) AS value,
      COUNT(*) AS count,
      COALESCE(SUM(CASE WHEN defect_detected = 1 THEN 1 ELSE 0 END), 0) AS with_defect,
      COALESCE(SUM(CASE WHEN review_state IN (${CONFIRMED_STATES_SQL}) THEN 1 ELSE 0 END), 0) AS confirmed
    FROM analyses${where}
    GROUP BY GROUPING SETS ((status), (defect_type), (severity), (stage), (facility), (review_state), ())`;
}

/**
 * The most frequent (stage, defect type, 6M category) groups of the analyses matching `where`,
 * each with up to `examples` example ids, newest first.
 */
function topRootCausesSql(where: string, groups: string, examples: string): string {
  return `WITH matching AS (
    SELECT defect_id, created_at, stage, defect_type, category_6m FROM analyses${where}
  ),
  top_groups AS (
    SELECT stage, defect_type, category_6m, COUNT(*) AS n FROM matching
    GROUP BY stage, defect_type, category_6m
    ORDER BY n DESC, stage, defect_type, category_6m
    LIMIT ${groups}
  ),
  ranked AS (
    SELECT defect_id, stage, defect_type, category_6m,
      ROW_NUMBER() OVER (
        PARTITION BY stage, defect_type, category_6m ORDER BY created_at DESC, defect_id DESC
      ) AS position
    FROM matching
  )
  SELECT g.stage, g.defect_type, g.category_6m, g.n AS count, r.defect_id
  FROM top_groups g
  JOIN ranked r ON r.stage = g.stage AND r.defect_type = g.defect_type AND r.category_6m = g.category_6m
  WHERE r.position <= ${examples}
  ORDER BY g.n DESC, g.stage, g.defect_type, g.category_6m, r.position`;
}

/** The conditions of {@link AnalysisStore.listOccurrences} and {@link AnalysisStore.summarizeOccurrences}. */
function occurrenceConditions({
  defectType,
  stage,
  facility,
  productSku,
  since,
}: Parameters<AnalysisStore['listOccurrences']>[0]): Conditions {
  return new Conditions()
    .add("status IN ('complete', 'partial')")
    .add(PRODUCTION)
    .add("review_state <> 'rejected'")
    .add("defect_type IS NOT NULL AND defect_type NOT IN ('none', 'unknown')")
    .add('created_at >= ?', sortableInstant(since))
    .addIf(defectType, 'defect_type = ?')
    .addIf(stage, 'stage = ?')
    .addIf(facility, 'facility = ?')
    .addIf(productSku, 'product_sku = ?');
}

/** Runs a query of `shared-queries.ts` compiled for PostgreSQL. */
async function runShared(
  pool: Pool,
  query: SharedQuery,
): Promise<{ rows: readonly unknown[]; rowsAffected: number }> {
  const result = await pool.query(query.sql, [...query.parameters]);
  return { rows: result.rows, rowsAffected: result.rowCount ?? 0 };
}

const UPDATE_REVIEW = `UPDATE analyses SET
  review_state = $1, version = $2, defect_type = $3, severity = $4, stage = $5, category_6m = $6,
  defect_detected = $7, review = $8
WHERE defect_id = $9 AND version = $10`;

/** The AnalysisStore over a migrated pool; `end` disposes of the pool if the store owns it. */
function createPostgresStore({ pool, end }: { pool: Pool; end: () => Promise<void> }): AnalysisStore {
  /**
   * Runs several reads on one connection in a read-only REPEATABLE READ transaction, so that
   * they see one snapshot, as the SQLite adapter's read batch does.
   */
  async function inSnapshot<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /** Runs writes on one connection in one transaction: all of them are stored, or none. */
  async function inTransaction(work: (client: PoolClient) => Promise<void>): Promise<void> {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      await work(client);
      await client.query('COMMIT');
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  return {
    ...sharedStoreMethods({
      dialect: 'postgres',
      run: (query) => runShared(pool, query),
      runInTransaction: (queries) =>
        inTransaction(async (client) => {
          for (const query of queries) await client.query(query.sql, [...query.parameters]);
        }),
      isUniqueViolation,
      guard,
    }),

    async saveReview({ defectId, expectedVersion, review, events }) {
      const valid = validateForWrite(Review, review, 'review');
      if (valid.version !== expectedVersion + 1) {
        throw new ValidationError(
          `a review write of version ${expectedVersion} produces version ${expectedVersion + 1}, not ${valid.version}`,
        );
      }
      const rows = reviewEventRows({ defectId, version: valid.version, events });
      const columns = reviewColumns(valid);
      const stale = (cause?: unknown) =>
        new PreconditionFailedError(
          `analysis ${defectId} is no longer at version ${expectedVersion}; read it again`,
          cause === undefined ? {} : { cause },
        );
      return guard('saveReview', async () => {
        const client = await pool.connect();
        let broken: Error | undefined;
        try {
          await client.query('BEGIN');
          const updated = await client.query(`${UPDATE_REVIEW} RETURNING ${REVIEWED_COLUMNS}`, [
            columns.review_state,
            columns.version,
            columns.defect_type,
            columns.severity,
            columns.stage,
            columns.category_6m,
            columns.defect_detected,
            columns.review,
            defectId,
            expectedVersion,
          ]);
          const [row] = decodeRows(updated, ReviewedRow);
          if (row === undefined) {
            await client.query('ROLLBACK');
            const exists = await client.query('SELECT 1 FROM analyses WHERE defect_id = $1', [defectId]);
            if (exists.rowCount === 0) throw new NotFoundError(`analysis ${defectId} does not exist`);
            throw stale();
          }
          for (const event of rows) {
            await client.query(
              'INSERT INTO review_events (defect_id, version, position, at, event) VALUES ($1, $2, $3, $4, $5)',
              [defectId, valid.version, event.position, event.at, event.event],
            );
          }
          await client.query('COMMIT');
          return reviewedAnalysisFromRow(row);
        } catch (error) {
          if (!isDomainError(error)) {
            try {
              await client.query('ROLLBACK');
            } catch (rollbackError) {
              broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
            }
          }
          if (isUniqueViolation(error)) throw stale(error);
          throw error;
        } finally {
          client.release(broken);
        }
      });
    },

    async listAnalyses({
      facility,
      productSku,
      defectType,
      status,
      reviewState,
      text,
      since,
      includeEvaluation,
      limit,
      cursor,
    }) {
      const pageSize = checkListLimit(limit);
      const pattern = text === undefined ? undefined : containsPattern(text);
      const conditions = new Conditions()
        .addIf(facility, 'facility = ?')
        .addIf(productSku, 'product_sku = ?')
        .addIf(defectType, 'defect_type = ?')
        .addIf(status, 'status = ?')
        .addIf(reviewState, 'review_state = ?')
        .addIf(since === undefined ? undefined : sortableInstant(since), 'created_at >= ?');
      if (pattern !== undefined) {
        conditions.add(
          "(LOWER(document) LIKE ? ESCAPE '\\' OR LOWER(COALESCE(review, '')) LIKE ? ESCAPE '\\')",
          pattern,
          pattern,
        );
      }
      if (includeEvaluation !== true) conditions.add(PRODUCTION);
      if (cursor !== undefined) {
        const after = decodeCursor(cursor);
        conditions.add('(created_at, defect_id) < (?, ?)', after.createdAt, after.defectId);
      }
      return guard('listAnalyses', async () => {
        const where = conditions.where();
        const result = await pool.query(
          `SELECT created_at, defect_id, ${REVIEWED_COLUMNS} FROM analyses${where}
           ORDER BY created_at DESC, defect_id DESC LIMIT ${conditions.param(pageSize + 1)}`,
          conditions.args,
        );
        const rows = decodeRows(result, ListedRow.extend(ReviewedRow.shape));
        const page = rows.slice(0, pageSize);
        const last = page.at(-1);
        return {
          items: page.map(reviewedAnalysisFromRow),
          nextCursor:
            rows.length > pageSize && last
              ? encodeCursor({ createdAt: last.created_at, defectId: last.defect_id })
              : null,
        };
      });
    },

    async stats({ facility, since, reviewState }) {
      const conditions = new Conditions()
        .add(PRODUCTION)
        .addIf(facility, 'facility = ?')
        .addIf(reviewState, 'review_state = ?')
        .addIf(since === undefined ? undefined : sortableInstant(since), 'created_at >= ?');
      const countsSql = groupedCountsSql(conditions.where());
      const countsArgs = [...conditions.args];
      const rootCausesSql = topRootCausesSql(
        conditions.where(
          "status IN ('complete', 'partial')",
          `review_state IN (${CONFIRMED_STATES_SQL})`,
          'stage IS NOT NULL',
          'defect_type IS NOT NULL',
          'category_6m IS NOT NULL',
        ),
        conditions.param(TOP_ROOT_CAUSES),
        conditions.param(ROOT_CAUSE_EXAMPLES),
      );
      return guard('stats', async () => {
        const [counts, rootCauses] = await inSnapshot(async (client) => [
          await client.query(countsSql, countsArgs),
          await client.query(rootCausesSql, conditions.args),
        ]);
        const stats: AnalysisStats = {
          total: 0,
          withDefect: 0,
          byStatus: {},
          byType: {},
          bySeverity: {},
          byStage: {},
          byFacility: {},
          byReviewState: {},
          confirmed: 0,
          topRootCauses: [],
        };
        for (const row of decodeRows(counts, GroupedCountRow)) {
          if (row.dimension === 'total') {
            stats.total = row.count;
            stats.withDefect = row.with_defect;
            stats.confirmed = row.confirmed;
          } else if (row.value !== null) {
            stats[GROUPED_FIELDS[row.dimension]][row.value] = row.count;
          }
        }
        for (const row of decodeRows(rootCauses, RootCauseRow)) {
          const group = stats.topRootCauses.at(-1);
          if (
            group?.stage === row.stage &&
            group.defectType === row.defect_type &&
            group.category6m === row.category_6m
          ) {
            group.exampleDefectIds.push(row.defect_id);
          } else {
            stats.topRootCauses.push({
              stage: row.stage,
              defectType: row.defect_type,
              category6m: row.category_6m,
              count: row.count,
              exampleDefectIds: [row.defect_id],
            });
          }
        }
        return stats;
      });
    },

    async summarizeOccurrences({ recentLimit, ...filter }) {
      const conditions = occurrenceConditions(filter);
      const where = conditions.where();
      const confirmed = conditions.where(`review_state IN (${CONFIRMED_STATES_SQL})`);
      const countsArgs = [...conditions.args];
      const recentSql = `SELECT defect_id FROM analyses${confirmed}
        ORDER BY created_at DESC, defect_id DESC LIMIT ${conditions.param(recentLimit)}`;
      return guard('summarizeOccurrences', async () => {
        const [counts, recent] = await inSnapshot(async (client) => [
          await client.query(
            `SELECT
                CASE
                  WHEN review_state NOT IN (${CONFIRMED_STATES_SQL}) THEN 'unconfirmed'
                  WHEN GROUPING(facility) = 0 THEN 'facility'
                  ELSE 'stage'
                END AS dimension,
                COALESCE(facility, stage) AS value, COUNT(*) AS count
              FROM (
                SELECT facility, stage,
                  CASE WHEN review_state IN (${CONFIRMED_STATES_SQL}) THEN 'confirmed' ELSE 'draft' END
                    AS review_state
                FROM analyses${where}
              ) AS occurrences
              GROUP BY GROUPING SETS ((review_state, facility), (review_state, stage))`,
            countsArgs,
          ),
          await client.query(recentSql, conditions.args),
        ]);
        const summary = {
          count: 0,
          unconfirmed: 0,
          byFacility: {} as Record<string, number>,
          byStage: {} as Record<string, number>,
          recentDefectIds: decodeRows(recent, DefectIdRow).map((row) => row.defect_id),
        };
        for (const row of decodeRows(counts, OccurrenceCountRow)) {
          const name = row.value ?? UNSPECIFIED;
          if (row.dimension === 'unconfirmed') {
            // Each draft is counted once by facility and once by stage.
            summary.unconfirmed += row.count / 2;
          } else if (row.dimension === 'facility') {
            summary.byFacility[name] = row.count;
            summary.count += row.count;
          } else {
            summary.byStage[name] = row.count;
          }
        }
        return summary;
      });
    },

    async listOccurrences(filter) {
      const conditions = occurrenceConditions(filter);
      return guard('listOccurrences', async () => {
        const result = await pool.query(
          `SELECT defect_id, created_at, defect_type, stage, facility, product_sku,
             CASE WHEN review_state IN (${CONFIRMED_STATES_SQL}) THEN 1 ELSE 0 END AS confirmed
           FROM analyses${conditions.where()} ORDER BY created_at, defect_id`,
          conditions.args,
        );
        return decodeRows(result, OccurrenceRow).map((row): DefectOccurrence => ({
          defectId: row.defect_id,
          detectedAt: new Date(row.created_at),
          defectType: row.defect_type,
          stage: row.stage,
          facility: row.facility,
          productSku: row.product_sku,
          confirmed: row.confirmed === 1,
        }));
      });
    },

    async appendExchange({ defectId, question, answer, agent, citations, askedAt, apiKeyId }) {
      const validCitations = validateForWrite(ExchangeCitations, citations, 'citations');
      const citationsJson = toJson(validCitations, 'citations');
      return guard('appendExchange', async () => {
        let result: QueryResult<QueryResultRow>;
        try {
          result = await pool.query(
            `INSERT INTO exchanges (defect_id, question, answer, agent, citations, asked_at, api_key_id)
             SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text
             WHERE EXISTS (SELECT 1 FROM analyses WHERE defect_id = $1::text)
             RETURNING id`,
            [defectId, question, answer, agent, citationsJson, askedAt, apiKeyId],
          );
        } catch (error) {
          if (isForeignKeyViolation(error)) {
            throw new NotFoundError(`analysis ${defectId} does not exist`, { cause: error });
          }
          throw error;
        }
        const [row] = decodeRows(result, IdRow);
        if (row === undefined) throw new NotFoundError(`analysis ${defectId} does not exist`);
        return {
          id: row.id,
          defectId,
          question,
          answer,
          agent,
          citations: validCitations,
          askedAt,
          apiKeyId,
        };
      });
    },

    async revokeApiKey({ id, at }) {
      const revokedAt = sortableInstant(at);
      return guard('revokeApiKey', async () => {
        const result = await pool.query(
          `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2 RETURNING ${API_KEY_COLUMNS}`,
          [revokedAt, id],
        );
        const [row] = decodeRows(result, ApiKeyRow);
        if (row === undefined) throw new NotFoundError(`no API key ${id}`);
        return apiKeyFromRow(row);
      });
    },

    async ping() {
      await guard('ping', async () => {
        await pool.query('SELECT 1');
      });
    },

    async close() {
      await end();
    },
  };
}
