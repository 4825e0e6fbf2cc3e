import type { DefectHistory } from '../../action-groups/recurrence/defect-history.ts';
import type {
  Citation,
  ConcreteDefectType,
  ConsolidatedAnalysis,
  DefectId,
  Facility,
  ProductSku,
  Review,
  ReviewedAnalysis,
  ReviewEvent,
  ReviewState,
} from '../../domain/index.ts';

/** One stored follow-up exchange. */
export interface StoredExchange {
  id: number;
  defectId: DefectId;
  question: string;
  answer: string;
  agent: string;
  citations: Citation[];
  askedAt: string;
  apiKeyId: string | null;
}

/** Status of a batch job and of each of its items. */
export interface BatchJob {
  id: string;
  status: 'queued' | 'running' | 'complete' | 'failed';
  createdAt: string;
  updatedAt: string;
  apiKeyId: string | null;
  total: number;
  items: Array<{
    index: number;
    defectId: DefectId;
    status: ConsolidatedAnalysis['status'];
    error: string | null;
  }>;
}

/** A stored API key: only the hash of its secret is kept. */
export interface StoredApiKey {
  id: string;
  name: string;
  facility: Facility | null;
  secretHash: string;
  createdAt: string;
  revokedAt: string | null;
  /** A read-only key may read but not submit, review or ask. */
  readOnly: boolean;
  /** Every analysis this key submits is an evaluation analysis, kept out of production history. */
  evaluation: boolean;
}

/** An entry of the audit log. */
export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}

/** Filter and page of {@link AnalysisStore.listAnalyses}, newest first. */
export interface AnalysisQuery {
  facility?: Facility;
  productSku?: ProductSku;
  defectType?: ConcreteDefectType | 'unknown' | 'none';
  status?: ConsolidatedAnalysis['status'];
  reviewState?: ReviewState;
  /** Words the analysis must contain (its report, classification, causes or actions), any case. */
  text?: string;
  /** Only analyses created at or after this instant. */
  since?: Date;
  /** Include analyses of evaluation runs (left out by default). */
  includeEvaluation?: boolean;
  limit: number;
  /** Opaque cursor from a previous page. */
  cursor?: string;
}

/** Aggregates of {@link AnalysisStore.stats}. */
export interface AnalysisStats {
  total: number;
  withDefect: number;
  byStatus: Record<string, number>;
  byType: Record<string, number>;
  bySeverity: Record<string, number>;
  byStage: Record<string, number>;
  byFacility: Record<string, number>;
  byReviewState: Record<string, number>;
  /** Analyses a person confirmed or corrected (closed ones included). */
  confirmed: number;
  /** Most frequent (stage, defect type, 6M category) root-cause groups of confirmed analyses. */
  topRootCauses: Array<{
    stage: string;
    defectType: string;
    category6m: string;
    count: number;
    exampleDefectIds: string[];
  }>;
}

/** A process's claim on a pending analysis: it alone runs it until `expiresAt`, unless it renews. */
export interface Lease {
  /** The process holding it: an id stable for the life of the process (host, pid and a random part). */
  owner: string;
  /** When it lapses: an ISO 8601 instant. */
  expiresAt: string;
}

/** A pending analysis a process claimed, with how many times it was claimed (this claim included). */
export interface ClaimedAnalysis {
  analysis: ConsolidatedAnalysis;
  attempts: number;
}

/** The hits of a rate-limit key in its current window. */
export interface RateLimitHits {
  totalHits: number;
  /** When the window ends: an ISO 8601 instant. */
  resetAt: string;
}

/** One change of a review write, before the store numbers it. */
export type NewReviewEvent = Omit<ReviewEvent, 'sequence' | 'defect_id' | 'version'>;

/**
 * The AnalysisStore port: analyses and their reviews, follow-up exchanges, batch jobs, API keys
 * and the audit logs. It is also the {@link DefectHistory} the recurrence tool reads (finished
 * production analyses with a concrete defect type, confirmed or not, never rejected ones nor those
 * of evaluation runs). Every adapter passes `api/persistence/testing/store-contract.ts`.
 */
export interface AnalysisStore extends DefectHistory {
  /**
   * Stores a new analysis. With an idempotency key already used by the same API key
   * (`apiKeyId`) and the same request hash it returns the stored analysis and `created: false`;
   * with another hash it throws a ConflictError. Keys are scoped by `apiKeyId`: one used by
   * another API key is another key.
   */
  createAnalysis(params: {
    analysis: ConsolidatedAnalysis;
    apiKeyId: string | null;
    idempotencyKey?: string;
    requestHash?: string;
    /** The evaluation run that submitted it; such analyses stay out of history and stats. */
    evaluationRun?: string | null;
    /** Stores it leased to the process that runs it at once, so that no other process claims it. */
    lease?: Lease;
  }): Promise<{ analysis: ConsolidatedAnalysis; created: boolean }>;
  /**
   * Replaces a stored analysis (same defect id); NotFoundError when it does not exist. With
   * `leaseOwner` the write is fenced: it happens only while that owner holds the analysis' lease,
   * else a ConflictError (another process claimed it after the lease
   * lapsed, or finished it). A finished analysis (not `pending`) keeps no lease.
   */
  saveAnalysis(params: { analysis: ConsolidatedAnalysis; leaseOwner?: string }): Promise<void>;
  /**
   * Claims up to `limit` pending analyses whose lease is free or lapsed before `now`, oldest
   * first, for `lease.owner` until `lease.expiresAt`: one claim wins, however many processes on
   * however many machines ask at once. With `defectIds` only those are considered.
   */
  claimPending(params: {
    lease: Lease;
    now: Date;
    limit: number;
    defectIds?: readonly string[];
  }): Promise<ClaimedAnalysis[]>;
  /** Pending analyses free to claim at `now` (no lease, or a lapsed one): the work waiting for a worker. */
  countClaimable(params: { now: Date }): Promise<number>;
  /** Extends the leases `lease.owner` still holds on pending analyses; returns their defect ids. */
  renewLeases(params: { lease: Lease; defectIds: readonly string[] }): Promise<string[]>;
  /** Gives up the leases an owner holds (a graceful shutdown), so that another process claims them at once. */
  releaseLeases(params: { owner: string; defectIds: readonly string[] }): Promise<void>;
  /**
   * Stores a batch in one transaction: its pending analyses (without a lease, free to claim) and
   * its job, so that a crash leaves either the whole batch or nothing. With an idempotency key
   * already used by the job's API key it stores nothing and answers as {@link createJob}.
   */
  createBatch(params: {
    job: BatchJob;
    analyses: readonly ConsolidatedAnalysis[];
    evaluationRun?: string | null;
    idempotencyKey?: string;
    requestHash?: string;
  }): Promise<{ job: BatchJob; created: boolean }>;
  /**
   * Counts `hits` more for a rate-limit key: a window of `windowMs` starts at `now` when the key
   * has none or its window ended. Shared by every process on the database.
   */
  hitRateLimit(params: { key: string; hits: number; windowMs: number; now: Date }): Promise<RateLimitHits>;
  /** The hits of a rate-limit key in its window at `now`, or null when it has none (or it ended). */
  getRateLimit(params: { key: string; now: Date }): Promise<RateLimitHits | null>;
  /** Takes one hit back (a request the limiter does not count after all), never below zero. */
  unhitRateLimit(params: { key: string }): Promise<void>;
  /** Forgets a rate-limit key. */
  resetRateLimit(params: { key: string }): Promise<void>;
  getAnalysis(params: { defectId: string }): Promise<ConsolidatedAnalysis | null>;
  /** The analysis with its review (a draft review when nobody reviewed it) and its evaluation run. */
  getReviewedAnalysis(params: {
    defectId: string;
  }): Promise<{ analysis: ReviewedAnalysis; evaluationRun: string | null } | null>;
  listAnalyses(params: AnalysisQuery): Promise<{ items: ReviewedAnalysis[]; nextCursor: string | null }>;
  /**
   * Writes a review whose `version` is `expectedVersion + 1` together with its audit events, if
   * the stored version is still `expectedVersion`; otherwise a PreconditionFailedError (another
   * write came first), or a NotFoundError. The classification columns take the reviewed values.
   */
  saveReview(params: {
    defectId: string;
    expectedVersion: number;
    review: Review;
    events: readonly NewReviewEvent[];
  }): Promise<ReviewedAnalysis>;
  /** The audit trail of one analysis' review, oldest first. */
  listReviewEvents(params: { defectId: string }): Promise<ReviewEvent[]>;
  /** Production analyses a person confirmed or corrected (closed ones included), oldest first. */
  listConfirmedAnalyses(): Promise<ReviewedAnalysis[]>;
  /** Analyses still `pending`, oldest first: work a crash may have left behind. */
  listPending(): Promise<ConsolidatedAnalysis[]>;
  /** Aggregates of production analyses (evaluation runs left out). */
  stats(params: { facility?: Facility; since?: Date; reviewState?: ReviewState }): Promise<AnalysisStats>;

  appendExchange(params: Omit<StoredExchange, 'id'>): Promise<StoredExchange>;
  listExchanges(params: { defectId: string }): Promise<StoredExchange[]>;

  /**
   * Stores a new job. With an idempotency key already used by the same API key it stores nothing
   * and returns the stored job and `created: false` when the request hash matches, or throws a
   * ConflictError when it does not. Keys are scoped by the job's `apiKeyId`.
   */
  createJob(params: {
    job: BatchJob;
    idempotencyKey?: string;
    requestHash?: string;
  }): Promise<{ job: BatchJob; created: boolean }>;
  /** The job stored under an idempotency key of an API key, with its request hash, or null. */
  findJobByIdempotencyKey(params: {
    apiKeyId: string | null;
    idempotencyKey: string;
  }): Promise<{ job: BatchJob; requestHash: string | null } | null>;
  saveJob(params: { job: BatchJob }): Promise<void>;
  getJob(params: { id: string }): Promise<BatchJob | null>;
  /** Jobs not finished, for recovery at start-up. */
  listUnfinishedJobs(): Promise<BatchJob[]>;

  createApiKey(params: { key: StoredApiKey }): Promise<void>;
  getApiKey(params: { id: string }): Promise<StoredApiKey | null>;
  /** Every key, oldest first (revoked ones included). */
  listApiKeys(): Promise<StoredApiKey[]>;
  /** Revokes a key (a revoked key stays revoked at its first time); NotFoundError when unknown. */
  revokeApiKey(params: { id: string; at: string }): Promise<StoredApiKey>;

  appendAudit(params: { entry: AuditEntry }): Promise<void>;
  listAudit(params: { limit: number }): Promise<AuditEntry[]>;

  /** Store reachable, for readiness. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
