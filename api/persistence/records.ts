/**
 * Driver-free pieces every AnalysisStore adapter shares: the schemas of the stored JSON
 * documents, the columns copied out of an analysis, the listing cursor and the limits.
 */
import { z } from 'zod';
import {
  AnalysisStatus,
  Citation,
  ConcreteDefectType,
  ConflictError,
  ProductionStage,
  ProductSku,
  ConsolidatedAnalysis,
  DefectId,
  Facility,
  Review,
  ReviewEvent,
  UpstreamError,
  ValidationError,
  draftReview,
  type ReviewedAnalysis,
} from '../../domain/index.ts';
import type { AuditEntry, BatchJob, NewReviewEvent, StoredApiKey, StoredExchange } from './analysis-store.ts';

/** Page sizes {@link AnalysisStore.listAnalyses} accepts. */
export const LIST_LIMITS = { min: 1, max: 200 } as const;

/** Status of a batch job that is still to finish. */
export const UNFINISHED_JOB_STATUSES = ['queued', 'running'] as const;

/** A stored batch job, as validated when it is written and read back. */
export const BatchJobRecord: z.ZodType<BatchJob> = z.object({
  id: z.string().min(1),
  status: z.enum(['queued', 'running', 'complete', 'failed']),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  apiKeyId: z.string().nullable(),
  total: z.number().int().min(0),
  items: z.array(
    z.object({
      index: z.number().int().min(0),
      defectId: DefectId,
      status: AnalysisStatus,
      error: z.string().nullable(),
    }),
  ),
});

/** The citations of a stored exchange. */
export const ExchangeCitations: z.ZodType<StoredExchange['citations']> = z.array(Citation);

/** A stored API key. */
export const StoredApiKeyRecord: z.ZodType<StoredApiKey> = z.object({
  id: z.string().min(1),
  name: z.string(),
  facility: Facility.nullable(),
  secretHash: z.string().min(1),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  readOnly: z.boolean(),
  evaluation: z.boolean(),
});

/** The free-form details of an audit entry. */
export const AuditDetails: z.ZodType<AuditEntry['details']> = z.record(z.string(), z.unknown());

/** The columns of the `analyses` table that are copied out of the analysis document. */
export interface AnalysisColumns {
  defect_id: string;
  status: string;
  /** {@link sortableInstant} of the analysis' `created_at`. */
  created_at: string;
  completed_at: string | null;
  facility: string | null;
  product_sku: string | null;
  defect_type: string | null;
  severity: string | null;
  stage: string | null;
  category_6m: string | null;
  /** 1 or 0 once classified, null before. */
  defect_detected: number | null;
  document: string;
}

/**
 * An instant as text that sorts in time order: ISO 8601 in UTC with milliseconds.
 * `2026-03-01T00:00:00Z` and `2026-03-01T00:00:00.500Z` do not sort as text; their
 * normalised forms do.
 */
export function sortableInstant(value: string | Date): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) throw new ValidationError(`not a valid instant: ${String(value)}`);
  return date.toISOString();
}

/** The columns stored for an analysis (which must already be validated). */
export function analysisColumns(analysis: ConsolidatedAnalysis): AnalysisColumns {
  const { classification, root_cause: rootCause } = analysis;
  return {
    defect_id: analysis.defect_id,
    status: analysis.status,
    created_at: sortableInstant(analysis.created_at),
    completed_at: analysis.completed_at === null ? null : sortableInstant(analysis.completed_at),
    facility: analysis.report.facility ?? null,
    product_sku: analysis.report.product_sku ?? null,
    defect_type: classification?.defect_type ?? null,
    severity: classification?.severity ?? null,
    stage: rootCause?.probable_stage ?? null,
    category_6m: rootCause?.root_cause.category_6m ?? null,
    defect_detected: classification === null ? null : classification.defect_detected ? 1 : 0,
    document: JSON.stringify(analysis),
  };
}

/** Validates a value before it is stored; a ValidationError lists the issues. */
export function validateForWrite<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ValidationError(`${what} is not valid`, {
      cause: result.error,
      details: result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  return result.data;
}

/** Parses a stored JSON document; a document that no longer matches its schema is an UpstreamError. */
export function parseStoredDocument<T>(schema: z.ZodType<T>, json: string, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (cause) {
    throw new UpstreamError(`stored ${what} is not valid JSON`, { cause });
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new UpstreamError(`stored ${what} does not match its schema`, { cause: result.error });
  }
  return result.data;
}

/** Position in the newest-first listing: the last analysis of a page. */
export interface ListCursor {
  /** {@link sortableInstant} of the analysis' `created_at`. */
  createdAt: string;
  defectId: string;
}

const CursorPayload = z.object({ c: z.iso.datetime(), d: DefectId });

/** Encodes a listing position as an opaque base64url string. */
export function encodeCursor(cursor: ListCursor): string {
  return Buffer.from(JSON.stringify({ c: cursor.createdAt, d: cursor.defectId }), 'utf8').toString(
    'base64url',
  );
}

/** Decodes a cursor of {@link encodeCursor}; anything else is a ValidationError. */
export function decodeCursor(cursor: string): ListCursor {
  try {
    const payload = CursorPayload.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { createdAt: sortableInstant(payload.c), defectId: payload.d };
  } catch (cause) {
    throw new ValidationError('cursor is not valid: pass the nextCursor of a previous page', { cause });
  }
}

/** Checks a page size of {@link AnalysisStore.listAnalyses}. */
export function checkListLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < LIST_LIMITS.min || limit > LIST_LIMITS.max) {
    throw new ValidationError(
      `limit must be an integer from ${LIST_LIMITS.min} to ${LIST_LIMITS.max}, got ${limit}`,
    );
  }
  return limit;
}

/** Checks the size of an audit-log page: a positive integer. */
export function checkAuditLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new ValidationError(`limit must be a positive integer, got ${limit}`);
  }
  return limit;
}

/** Column shapes of the rows both SQL adapters read back; they parse what the driver returns. */
export const Count = z.coerce.number().int();
export const ApiKeyRow = z.object({
  id: z.string(),
  name: z.string(),
  facility: z.string().nullable(),
  secret_hash: z.string(),
  created_at: z.string(),
  revoked_at: z.string().nullable(),
  read_only: Count,
  evaluation: Count,
});

/** The columns of `api_keys` both adapters select, in the order of {@link ApiKeyRow}. */
export const API_KEY_COLUMNS =
  'id, name, facility, secret_hash, created_at, revoked_at, read_only, evaluation';

/** A stored key from its row. */
export function apiKeyFromRow(row: z.infer<typeof ApiKeyRow>): StoredApiKey {
  return StoredApiKeyRecord.parse({
    id: row.id,
    name: row.name,
    facility: row.facility,
    secretHash: row.secret_hash,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    readOnly: row.read_only === 1,
    evaluation: row.evaluation === 1,
  });
}
export const AuditRow = z.object({
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  details: z.string(),
});
export const DocumentRow = z.object({ document: z.string() });
export const ExchangeRow = z.object({
  id: Count,
  defect_id: z.string(),
  question: z.string(),
  answer: z.string(),
  agent: z.string(),
  citations: z.string(),
  asked_at: z.string(),
  api_key_id: z.string().nullable(),
});
export const IdRow = z.object({ id: Count });
/**
 * The stored form of an idempotency key: scoped by the API key that sent it, as
 * `<apiKeyId>:<key>` (`:<key>` for anonymous requests), so that one key used by two tenants is
 * two keys. API key ids hold no `:`, so two scopes never store the same value. Migration
 * `002_scope_idempotency_keys.sql` rewrote the keys stored before in this form.
 */
export function scopedIdempotencyKey({
  apiKeyId,
  idempotencyKey,
}: {
  apiKeyId: string | null;
  idempotencyKey: string;
}): string {
  return `${apiKeyId ?? ''}:${idempotencyKey}`;
}

export const IdempotencyRow = z.object({ request_hash: z.string().nullable(), document: z.string() });
export const ListedRow = z.object({ created_at: z.string(), defect_id: z.string(), document: z.string() });
export const OccurrenceRow = z.object({
  defect_id: z.string(),
  created_at: z.string(),
  defect_type: ConcreteDefectType,
  stage: ProductionStage.nullable(),
  facility: Facility.nullable(),
  product_sku: ProductSku.nullable(),
  confirmed: Count,
});
export const RootCauseRow = z.object({
  stage: z.string(),
  defect_type: z.string(),
  category_6m: z.string(),
  count: Count,
  defect_id: z.string(),
});

/** The analysis columns a review write sets: the reviewed values replace the machine's. */
export interface ReviewColumns {
  review_state: string;
  version: number;
  defect_type: string;
  severity: string;
  stage: string | null;
  category_6m: string | null;
  defect_detected: number;
  review: string;
}

/** The columns of a review (which must already be validated). */
export function reviewColumns(review: Review): ReviewColumns {
  const { fields } = review;
  return {
    review_state: review.state,
    version: review.version,
    defect_type: fields.defect_type,
    severity: fields.severity,
    stage: fields.probable_stage,
    category_6m: fields.category_6m,
    defect_detected: fields.defect_type === 'none' ? 0 : 1,
    review: JSON.stringify(review),
  };
}

/** The row of an analysis read with its review. */
export const ReviewedRow = z.object({
  document: z.string(),
  review: z.string().nullable(),
  version: Count,
  evaluation_run: z.string().nullable(),
});

/** The columns of {@link ReviewedRow}. */
export const REVIEWED_COLUMNS = 'document, review, version, evaluation_run';

/** An analysis with its review from its row: the stored review, or a draft of the machine's analysis. */
export function reviewedAnalysisFromRow(row: z.infer<typeof ReviewedRow>): ReviewedAnalysis {
  const analysis = parseStoredDocument(ConsolidatedAnalysis, row.document, 'analysis');
  const review =
    row.review === null
      ? draftReview(analysis, row.version)
      : { ...parseStoredDocument(Review, row.review, 'review'), version: row.version };
  return { ...analysis, review };
}

/** One row of `review_events`. */
export const ReviewEventRow = z.object({ version: Count, position: Count, event: z.string() });

/** The audit events of a review write, validated and numbered for storage. */
export function reviewEventRows({
  defectId,
  version,
  events,
}: {
  defectId: string;
  version: number;
  events: readonly NewReviewEvent[];
}): Array<{ position: number; at: string; event: string }> {
  if (events.length === 0) throw new ValidationError('a review write records at least one event');
  return events.map((event, index) => {
    const valid = validateForWrite(
      ReviewEvent,
      { ...event, sequence: 1, defect_id: defectId, version },
      'review event',
    );
    return { position: index + 1, at: sortableInstant(valid.at), event: JSON.stringify(valid) };
  });
}

/** The audit trail from its rows in (version, position) order, numbered from 1. */
export function reviewEventsFromRows(rows: ReadonlyArray<z.infer<typeof ReviewEventRow>>): ReviewEvent[] {
  return rows.map((row, index) => ({
    ...parseStoredDocument(ReviewEvent, row.event, 'review event'),
    sequence: index + 1,
  }));
}

/**
 * The LIKE pattern of a text filter: lower case, with `%`, `_` and the backslash escaped by a
 * backslash (`ESCAPE` clause),
 * matching anywhere. ValidationError for empty or very long text.
 */
export function containsPattern(text: string): string {
  const trimmed = text.trim().toLowerCase();
  if (trimmed.length === 0 || trimmed.length > 200) {
    throw new ValidationError('text must have 1 to 200 characters');
  }
  return `%${trimmed.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/**
 * The answer to a job submitted again under its idempotency key: the stored job when the request
 * is the same, else a ConflictError.
 */
export function replayedJob(
  stored: { job: BatchJob; requestHash: string | null },
  requestHash: string | null,
): { job: BatchJob; created: false } {
  if (stored.requestHash !== requestHash) {
    throw new ConflictError('the idempotency key was already used with another batch');
  }
  return { job: stored.job, created: false };
}

/** Orders claimed analyses oldest first (creation instant, then defect id), as they were queued. */
export function oldestFirst(
  left: { analysis: ConsolidatedAnalysis },
  right: { analysis: ConsolidatedAnalysis },
): number {
  const key = ({ analysis }: { analysis: ConsolidatedAnalysis }): string =>
    `${sortableInstant(analysis.created_at)} ${analysis.defect_id}`;
  return key(left) < key(right) ? -1 : key(left) > key(right) ? 1 : 0;
}
