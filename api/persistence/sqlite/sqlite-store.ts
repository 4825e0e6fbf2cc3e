import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, LibsqlError, type Client, type InValue, type ResultSet } from '@libsql/client';
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
import { runMigrations } from './migrate.ts';
import { Count, ApiKeyRow, IdRow, ListedRow, OccurrenceRow, RootCauseRow } from '../records.ts';

/** Options of {@link openSqliteStore}. */
export interface SqliteStoreOptions {
  /**
   * The database: `file:<path>` (e.g. `file:./data/rca.db`, whose folder is created if missing)
   * or `:memory:`. With an injected `client` it only decides the pragmas and names the store in
   * errors.
   */
  url: string;
  /** A libsql client to use instead of opening one on `url`. The store closes it on `close()`. */
  client?: Client;
  /** Clock of the `applied_at` column of `schema_migrations`. */
  now?: () => Date;
}

/** How long a write waits for another process' lock on the file before failing. */
const BUSY_TIMEOUT_MS = 5_000;
/** The most frequent root-cause groups {@link AnalysisStats.topRootCauses} returns. */
const TOP_ROOT_CAUSES = 5;
/** Example defect ids per root-cause group, newest first. */
const ROOT_CAUSE_EXAMPLES = 3;

type Location = { kind: 'memory' } | { kind: 'file'; path: string } | { kind: 'remote' };

function locate(url: string): Location {
  if (url === ':memory:') return { kind: 'memory' };
  if (!url.startsWith('file:')) return { kind: 'remote' };
  const withoutQuery = url.split('?')[0] ?? url;
  const rest = withoutQuery.slice('file:'.length);
  if (rest === ':memory:' || rest === '') return { kind: 'memory' };
  return { kind: 'file', path: rest.startsWith('//') ? fileURLToPath(withoutQuery) : rest };
}

/** The url without its query string, which may hold a token. */
function redact(url: string): string {
  return url.split('?')[0] ?? url;
}

/**
 * Opens the embedded AnalysisStore: one SQLite database through `@libsql/client`, migrated to
 * the newest schema of `api/persistence/migrations`. A file database runs in WAL mode with
 * `synchronous = NORMAL`.
 *
 * The client it opens has a single connection, so the per-connection pragmas hold for every
 * statement. Once open, the store runs no interactive transaction (each write is one statement
 * or one batch), so concurrent calls queue for that connection instead of failing. Other
 * processes may use the same file: a write waits up to 5 s for their lock.
 *
 * @throws UpstreamError when the database cannot be opened or a migration fails
 */
export async function openSqliteStore({
  url,
  client: injected,
  now,
}: SqliteStoreOptions): Promise<AnalysisStore> {
  let location: Location;
  let client: Client;
  try {
    location = locate(url);
    if (injected) {
      client = injected;
    } else {
      if (location.kind === 'file') mkdirSync(path.dirname(location.path), { recursive: true });
      client = createClient({ url, concurrency: 1, timeout: BUSY_TIMEOUT_MS });
    }
  } catch (cause) {
    throw new UpstreamError(`cannot open the analysis store at ${redact(url)}`, { cause });
  }
  try {
    if (location.kind === 'file') {
      await client.execute('PRAGMA journal_mode = WAL');
      await client.execute('PRAGMA synchronous = NORMAL');
    }
    if (location.kind !== 'remote') await client.execute('PRAGMA foreign_keys = ON');
    await runMigrations({ client, migrations: await loadMigrations(), now });
  } catch (cause) {
    if (!injected) client.close();
    if (isDomainError(cause)) throw cause;
    throw new UpstreamError(`cannot open the analysis store at ${redact(url)}`, { cause });
  }
  return createSqliteStore(client);
}

function isConstraintError(error: unknown): boolean {
  return error instanceof LibsqlError && error.code.startsWith('SQLITE_CONSTRAINT');
}

function isBusyError(error: unknown): boolean {
  return error instanceof LibsqlError && (error.code === 'SQLITE_BUSY' || error.code === 'SQLITE_LOCKED');
}

/** Runs one store operation; a driver error becomes an UpstreamError with the driver error as `cause`. */
async function guard<T>(operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (cause) {
    if (isDomainError(cause)) throw cause;
    throw new UpstreamError(`analysis store: ${operation} failed`, {
      cause,
      isRetryable: isBusyError(cause),
    });
  }
}

function decodeRows<T>(result: ResultSet, schema: z.ZodType<T>): T[] {
  return result.rows.map((row) => schema.parse(row));
}

function toJson(value: unknown, what: string): string {
  try {
    return JSON.stringify(value);
  } catch (cause) {
    throw new ValidationError(`${what} cannot be stored as JSON`, { cause });
  }
}

/** The conditions of a WHERE clause and their arguments, in order. */
class Conditions {
  readonly clauses: string[] = [];
  readonly args: InValue[] = [];

  add(clause: string, ...args: InValue[]): this {
    this.clauses.push(clause);
    this.args.push(...args);
    return this;
  }

  addIf(value: InValue | undefined, clause: string): this {
    return value === undefined ? this : this.add(clause, value);
  }

  where(...extra: string[]): string {
    const all = [...this.clauses, ...extra];
    return all.length === 0 ? '' : ` WHERE ${all.join(' AND ')}`;
  }
}

const TotalsRow = z.object({ total: Count, with_defect: Count, confirmed: Count });
const GroupRow = z.object({ value: z.string(), count: Count });

/** The columns {@link AnalysisStats} counts by, keyed by their field. */
const GROUPED_COLUMNS = [
  ['byStatus', 'status'],
  ['byType', 'defect_type'],
  ['bySeverity', 'severity'],
  ['byStage', 'stage'],
  ['byFacility', 'facility'],
  ['byReviewState', 'review_state'],
] as const;

/**
 * The most frequent (stage, defect type, 6M category) groups of the analyses matching `where`,
 * each with up to {@link ROOT_CAUSE_EXAMPLES} example ids, newest first. Its arguments are those
 * of `where`, then the number of groups, then the number of examples. CTEs and window functions
 * are plain SQL in both SQLite and PostgreSQL.
 */
function topRootCausesSql(where: string): string {
  return `WITH matching AS (
    SELECT defect_id, created_at, stage, defect_type, category_6m FROM analyses${where}
  ),
  top_groups AS (
    SELECT stage, defect_type, category_6m, COUNT(*) AS n FROM matching
    GROUP BY stage, defect_type, category_6m
    ORDER BY n DESC, stage, defect_type, category_6m
    LIMIT ?
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
  WHERE r.position <= ?
  ORDER BY g.n DESC, g.stage, g.defect_type, g.category_6m, r.position`;
}

/** Runs a query of `shared-queries.ts` compiled for SQLite. */
async function runShared(
  client: Client,
  query: SharedQuery,
): Promise<{ rows: readonly unknown[]; rowsAffected: number }> {
  const result = await client.execute({ sql: query.sql, args: query.parameters as InValue[] });
  return { rows: result.rows, rowsAffected: result.rowsAffected };
}

const UPDATE_REVIEW = `UPDATE analyses SET
  review_state = ?, version = ?, defect_type = ?, severity = ?, stage = ?, category_6m = ?,
  defect_detected = ?, review = ?
WHERE defect_id = ? AND version = ?`;

/** Production analyses only: evaluation runs stay out of history, stats and recurrence. */
const PRODUCTION = 'evaluation_run IS NULL';

/** The SQL list of the confirmed review states. */
const CONFIRMED_STATES_SQL = CONFIRMED_REVIEW_STATES.map((state) => `'${state}'`).join(', ');

/** The AnalysisStore over an open, migrated libsql client. */
function createSqliteStore(client: Client): AnalysisStore {
  return {
    ...sharedStoreMethods({
      dialect: 'sqlite',
      run: (query) => runShared(client, query),
      runInTransaction: async (queries) => {
        await client.batch(
          queries.map((query) => ({ sql: query.sql, args: query.parameters as InValue[] })),
          'write',
        );
      },
      isUniqueViolation: isConstraintError,
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
      return guard('saveReview', async () => {
        try {
          // The events go first: their key (defect, version, position) is taken when another write
          // produced this version, and the batch then rolls back as a whole.
          const results = await client.batch(
            [
              ...rows.map((row) => ({
                sql: 'INSERT INTO review_events (defect_id, version, position, at, event) VALUES (?, ?, ?, ?, ?)',
                args: [defectId, valid.version, row.position, row.at, row.event],
              })),
              {
                sql: UPDATE_REVIEW,
                args: [
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
                ],
              },
              { sql: `SELECT ${REVIEWED_COLUMNS} FROM analyses WHERE defect_id = ?`, args: [defectId] },
            ],
            'write',
          );
          const updated = results.at(-2);
          const selected = results.at(-1);
          const row = selected === undefined ? undefined : decodeRows(selected, ReviewedRow)[0];
          if (updated?.rowsAffected !== 1 || row === undefined) {
            throw new PreconditionFailedError(
              `analysis ${defectId} is no longer at version ${expectedVersion}; read it again`,
            );
          }
          return reviewedAnalysisFromRow(row);
        } catch (error) {
          if (!isConstraintError(error)) throw error;
          const current = await client.execute({
            sql: 'SELECT version FROM analyses WHERE defect_id = ?',
            args: [defectId],
          });
          if (current.rows.length === 0) {
            throw new NotFoundError(`analysis ${defectId} does not exist`, { cause: error });
          }
          throw new PreconditionFailedError(
            `analysis ${defectId} is no longer at version ${expectedVersion}; read it again`,
            { cause: error },
          );
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
        conditions.add(
          '(created_at < ? OR (created_at = ? AND defect_id < ?))',
          after.createdAt,
          after.createdAt,
          after.defectId,
        );
      }
      return guard('listAnalyses', async () => {
        const result = await client.execute({
          sql: `SELECT created_at, defect_id, ${REVIEWED_COLUMNS} FROM analyses${conditions.where()}
                ORDER BY created_at DESC, defect_id DESC LIMIT ?`,
          args: [...conditions.args, pageSize + 1],
        });
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
      const { args } = conditions;
      const rootCauseWhere = conditions.where(
        "status IN ('complete', 'partial')",
        `review_state IN (${CONFIRMED_STATES_SQL})`,
        'stage IS NOT NULL',
        'defect_type IS NOT NULL',
        'category_6m IS NOT NULL',
      );
      return guard('stats', async () => {
        const [totals, ...rest] = await client.batch(
          [
            {
              sql: `SELECT COUNT(*) AS total,
                      COALESCE(SUM(CASE WHEN defect_detected = 1 THEN 1 ELSE 0 END), 0) AS with_defect,
                      COALESCE(SUM(CASE WHEN review_state IN (${CONFIRMED_STATES_SQL}) THEN 1 ELSE 0 END), 0)
                        AS confirmed
                    FROM analyses${conditions.where()}`,
              args,
            },
            ...GROUPED_COLUMNS.map(([, column]) => ({
              sql: `SELECT ${column} AS value, COUNT(*) AS count FROM analyses${conditions.where(
                `${column} IS NOT NULL`,
              )} GROUP BY ${column}`,
              args,
            })),
            {
              sql: topRootCausesSql(rootCauseWhere),
              args: [...args, TOP_ROOT_CAUSES, ROOT_CAUSE_EXAMPLES],
            },
          ],
          'read',
        );
        const rootCauses = rest.pop();
        if (totals === undefined || rootCauses === undefined || rest.length !== GROUPED_COLUMNS.length) {
          throw new Error('the stats batch returned fewer results than statements');
        }
        const [total] = decodeRows(totals, TotalsRow);
        const stats: AnalysisStats = {
          total: total?.total ?? 0,
          withDefect: total?.with_defect ?? 0,
          byStatus: {},
          byType: {},
          bySeverity: {},
          byStage: {},
          byFacility: {},
          byReviewState: {},
          confirmed: total?.confirmed ?? 0,
          topRootCauses: [],
        };
        GROUPED_COLUMNS.forEach(([field], index) => {
          const result = rest[index];
          if (result === undefined) return;
          for (const row of decodeRows(result, GroupRow)) stats[field][row.value] = row.count;
        });
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

    async summarizeOccurrences({ recentLimit, defectType, stage, facility, productSku, since }) {
      const conditions = new Conditions()
        .add("status IN ('complete', 'partial')")
        .add(PRODUCTION)
        .add("review_state <> 'rejected'")
        .add("defect_type IS NOT NULL AND defect_type NOT IN ('none', 'unknown')")
        .add('created_at >= ?', sortableInstant(since))
        .addIf(defectType, 'defect_type = ?')
        .addIf(stage, 'stage = ?')
        .addIf(facility, 'facility = ?')
        .addIf(productSku, 'product_sku = ?');
      return guard('summarizeOccurrences', async () => {
        const confirmed = conditions.where(`review_state IN (${CONFIRMED_STATES_SQL})`);
        const [byFacility, byStage, recent, unconfirmed] = await client.batch(
          [
            {
              sql: `SELECT facility AS name, COUNT(*) AS n FROM analyses${confirmed} GROUP BY facility`,
              args: conditions.args,
            },
            {
              sql: `SELECT stage AS name, COUNT(*) AS n FROM analyses${confirmed} GROUP BY stage`,
              args: conditions.args,
            },
            {
              sql: `SELECT defect_id FROM analyses${confirmed} ORDER BY created_at DESC, defect_id DESC LIMIT ?`,
              args: [...conditions.args, recentLimit],
            },
            {
              sql: `SELECT COUNT(*) AS n FROM analyses${conditions.where(
                `review_state NOT IN (${CONFIRMED_STATES_SQL})`,
              )}`,
              args: conditions.args,
            },
          ],
          'read',
        );
        const counts = (rows: typeof byFacility) => {
          const result: Record<string, number> = {};
          let total = 0;
          for (const row of rows?.rows ?? []) {
            total += Number(row.n);
            result[row.name === null || row.name === undefined ? UNSPECIFIED : String(row.name)] = Number(
              row.n,
            );
          }
          return { result, total };
        };
        const facilities = counts(byFacility);
        return {
          count: facilities.total,
          unconfirmed: Number(unconfirmed?.rows[0]?.n ?? 0),
          byFacility: facilities.result,
          byStage: counts(byStage).result,
          recentDefectIds: (recent?.rows ?? []).map((row) => String(row.defect_id)),
        };
      });
    },

    async listOccurrences({ defectType, stage, facility, productSku, since }) {
      const conditions = new Conditions()
        .add("status IN ('complete', 'partial')")
        .add(PRODUCTION)
        .add("review_state <> 'rejected'")
        .add("defect_type IS NOT NULL AND defect_type NOT IN ('none', 'unknown')")
        .add('created_at >= ?', sortableInstant(since))
        .addIf(defectType, 'defect_type = ?')
        .addIf(stage, 'stage = ?')
        .addIf(facility, 'facility = ?')
        .addIf(productSku, 'product_sku = ?');
      return guard('listOccurrences', async () => {
        const result = await client.execute({
          sql: `SELECT defect_id, created_at, defect_type, stage, facility, product_sku,
                  CASE WHEN review_state IN (${CONFIRMED_STATES_SQL}) THEN 1 ELSE 0 END AS confirmed
                FROM analyses${conditions.where()} ORDER BY created_at, defect_id`,
          args: conditions.args,
        });
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
      return guard('appendExchange', async () => {
        const result = await client.execute({
          sql: `INSERT INTO exchanges (defect_id, question, answer, agent, citations, asked_at, api_key_id)
                SELECT ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM analyses WHERE defect_id = ?)
                RETURNING id`,
          args: [
            defectId,
            question,
            answer,
            agent,
            toJson(validCitations, 'citations'),
            askedAt,
            apiKeyId,
            defectId,
          ],
        });
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
        const [, selected] = await client.batch(
          [
            {
              sql: 'UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?',
              args: [revokedAt, id],
            },
            { sql: `SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE id = ?`, args: [id] },
          ],
          'write',
        );
        const [row] = selected === undefined ? [] : decodeRows(selected, ApiKeyRow);
        if (row === undefined) throw new NotFoundError(`no API key ${id}`);
        return apiKeyFromRow(row);
      });
    },

    async ping() {
      await guard('ping', async () => {
        await client.execute('SELECT 1');
      });
    },

    async close() {
      client.close();
    },
  };
}
