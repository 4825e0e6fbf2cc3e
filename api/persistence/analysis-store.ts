import type { DefectHistory } from '../../action-groups/recurrence/defect-history.ts';
import type {
  Citation,
  ConcreteDefectType,
  ConsolidatedAnalysis,
  DefectId,
  Facility,
  ProductSku,
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
  /** Only analyses created at or after this instant. */
  since?: Date;
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
  /** Most frequent (stage, defect type, 6M category) root-cause groups. */
  topRootCauses: Array<{
    stage: string;
    defectType: string;
    category6m: string;
    count: number;
    exampleDefectIds: string[];
  }>;
}

/**
 * The AnalysisStore port: analyses, follow-up exchanges, batch jobs, API keys and the audit
 * log. It is also the {@link DefectHistory} the recurrence tool reads (complete analyses with
 * a concrete defect type). Every adapter passes `api/persistence/testing/store-contract.ts`.
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
  }): Promise<{ analysis: ConsolidatedAnalysis; created: boolean }>;
  /** Replaces a stored analysis (same defect id); NotFoundError when it does not exist. */
  saveAnalysis(params: { analysis: ConsolidatedAnalysis }): Promise<void>;
  getAnalysis(params: { defectId: string }): Promise<ConsolidatedAnalysis | null>;
  listAnalyses(params: AnalysisQuery): Promise<{ items: ConsolidatedAnalysis[]; nextCursor: string | null }>;
  /** Analyses still `pending`, oldest first: work a crash may have left behind. */
  listPending(): Promise<ConsolidatedAnalysis[]>;
  stats(params: { facility?: Facility; since?: Date }): Promise<AnalysisStats>;

  appendExchange(params: Omit<StoredExchange, 'id'>): Promise<StoredExchange>;
  listExchanges(params: { defectId: string }): Promise<StoredExchange[]>;

  createJob(params: { job: BatchJob }): Promise<void>;
  saveJob(params: { job: BatchJob }): Promise<void>;
  getJob(params: { id: string }): Promise<BatchJob | null>;
  /** Jobs not finished, for recovery at start-up. */
  listUnfinishedJobs(): Promise<BatchJob[]>;

  createApiKey(params: { key: StoredApiKey }): Promise<void>;
  getApiKey(params: { id: string }): Promise<StoredApiKey | null>;

  appendAudit(params: { entry: AuditEntry }): Promise<void>;
  listAudit(params: { limit: number }): Promise<AuditEntry[]>;

  /** Store reachable, for readiness. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
