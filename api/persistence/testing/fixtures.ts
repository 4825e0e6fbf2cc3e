import { RUST_CLASSIFICATION, RUST_PLAN, RUST_ROOT_CAUSE } from '../../../agents/testing/outputs.ts';
import {
  ConcreteDefectType,
  ConsolidatedAnalysis,
  DEFECT_TYPE_DETAILS,
  draftReview,
  formatDefectId,
  type Review,
  type ReviewedFields,
  type ReviewEventKind,
  type ReviewState,
  type AgentName,
  type AgentRun,
  type AnalysisStatus,
  type Category6M,
  type ClassifiedType,
  type DefectId,
  type Facility,
  type ProductionStage,
  type ProductSku,
  type Severity,
} from '../../../domain/index.ts';
import type {
  AuditEntry,
  BatchJob,
  NewReviewEvent,
  StoredApiKey,
  StoredExchange,
} from '../analysis-store.ts';

/** The instant fixture times count from: 2026-03-01T00:00:00.000Z. */
export const FIXTURE_EPOCH = new Date('2026-03-01T00:00:00.000Z');

/** The instant `hours` after {@link FIXTURE_EPOCH}. */
export function fixtureTime(hours: number): Date {
  return new Date(FIXTURE_EPOCH.getTime() + hours * 3_600_000);
}

/** A defect id of the day of `at` whose hex part is `n`, so that ids sort by `n` within a day. */
export function fixtureDefectId({ at, n }: { at: Date; n: number }): DefectId {
  const randomBytes = new Uint8Array(4);
  new DataView(randomBytes.buffer).setUint32(0, n);
  return formatDefectId({ date: at, randomBytes });
}

/** What {@link makeAnalysis} varies; everything else is a valid, fixed analysis. */
export interface AnalysisFixtureOptions {
  /** Sequence number: the hex part of the defect id. */
  n: number;
  /** Creation instant; {@link fixtureTime}(n) by default. */
  createdAt?: Date;
  /** `complete` by default. */
  status?: AnalysisStatus;
  facility?: Facility | null;
  productSku?: ProductSku | null;
  /** The classified type (`rust_spot` by default); ignored for `pending` and `failed`. */
  defectType?: ClassifiedType;
  /** The classified severity: `none` for type `none`, `critical` otherwise, by default. */
  severity?: Severity;
  /**
   * The root cause's stage: the first origin stage of a concrete type by default. `null` leaves
   * the root cause out; it is always out for type `none`/`unknown`, `pending` and `failed`.
   */
  stage?: ProductionStage | null;
  /** The root cause's 6M category, `machine` by default. */
  category6m?: Category6M;
}

function agentRun(status: AgentRun['status']): AgentRun {
  return {
    status,
    duration_ms: status === 'complete' ? 120 : null,
    usage: status === 'complete' ? { input_tokens: 100, output_tokens: 40, total_tokens: 140 } : null,
    error: status === 'failed' ? { code: 'model_throttled', message: 'throttled' } : null,
  };
}

function agents(
  classifier: AgentRun['status'],
  rootCause: AgentRun['status'],
  correctiveAction: AgentRun['status'],
): Record<AgentName, AgentRun> {
  return {
    classifier: agentRun(classifier),
    root_cause: agentRun(rootCause),
    corrective_action: agentRun(correctiveAction),
  };
}

/**
 * A valid ConsolidatedAnalysis in one of the four statuses, parsed through the schema:
 * - `pending`: nothing classified yet;
 * - `failed`: the classifier failed;
 * - `partial`: classified; with a root cause the corrective-action step failed, without one the
 *   root-cause step failed;
 * - `complete`: classified, with a root cause and actions when a concrete defect was found.
 */
export function makeAnalysis(options: AnalysisFixtureOptions): ConsolidatedAnalysis {
  const { n, status = 'complete', defectType = 'rust_spot', category6m = 'machine' } = options;
  const createdAt = options.createdAt ?? fixtureTime(n);
  const facility = options.facility === undefined ? 'yangjiang' : options.facility;
  const productSku = options.productSku === undefined ? 'WK-KN-200' : options.productSku;
  const classified = status === 'complete' || status === 'partial';
  const detected = defectType !== 'none';
  const concrete = ConcreteDefectType.safeParse(defectType);
  const stage =
    options.stage === undefined
      ? concrete.success
        ? (DEFECT_TYPE_DETAILS[concrete.data].originStages[0] ?? null)
        : null
      : options.stage;
  const withRootCause = classified && concrete.success && stage !== null;
  const withActions = status === 'complete' && withRootCause;

  const classification = classified
    ? {
        ...RUST_CLASSIFICATION,
        defect_detected: detected,
        defect_type: defectType,
        severity: options.severity ?? (detected ? 'critical' : 'none'),
        recommended_action: detected ? RUST_CLASSIFICATION.recommended_action : 'PASS',
        escalate: detected && RUST_CLASSIFICATION.escalate,
      }
    : null;
  const rootCause = withRootCause
    ? {
        ...RUST_ROOT_CAUSE,
        probable_stage: stage,
        root_cause: { ...RUST_ROOT_CAUSE.root_cause, category_6m: category6m },
      }
    : null;

  const agentStatuses: Record<AnalysisStatus, Record<AgentName, AgentRun>> = {
    pending: agents('pending', 'pending', 'pending'),
    failed: agents('failed', 'skipped', 'skipped'),
    partial: withRootCause
      ? agents('complete', 'complete', 'failed')
      : agents('complete', 'failed', 'skipped'),
    complete: withActions
      ? agents('complete', 'complete', 'complete')
      : agents('complete', 'skipped', 'skipped'),
  };
  const failedStep: AgentName =
    status === 'failed' ? 'classifier' : withRootCause ? 'corrective_action' : 'root_cause';

  return ConsolidatedAnalysis.parse({
    defect_id: fixtureDefectId({ at: createdAt, n }),
    status,
    created_at: createdAt.toISOString(),
    completed_at: status === 'pending' ? null : new Date(createdAt.getTime() + 5_000).toISOString(),
    report: {
      description: `Fixture report ${n}: ${defectType.replaceAll('_', ' ')}`,
      ...(facility === null ? {} : { facility }),
      ...(productSku === null ? {} : { product_sku: productSku }),
      measurements: { hardness_hrc: 55 },
      batch_id: `B-${n}`,
    },
    classification,
    root_cause: rootCause,
    corrective_actions: withActions ? RUST_PLAN.corrective_actions : null,
    citations: [
      {
        source_id: 'SOP-VQ-01',
        chunk_id: 'SOP-VQ-01#process-window',
        doc_type: 'sop',
        title: 'Vacuum quench',
        section: 'Process window',
        excerpt: 'Quench from 1000 to 600 °C in about 2 minutes.',
        score: 0.5,
      },
    ],
    agents: agentStatuses[status],
    usage: { input_tokens: 300, output_tokens: 120, total_tokens: 420 },
    timings: { total_ms: status === 'pending' ? null : 5_000, classifier_ms: 120 },
    failure:
      status === 'failed' || status === 'partial'
        ? { step: failedStep, code: 'model_throttled', message: 'the model was throttled' }
        : null,
  });
}

/** A batch job with the given items, created and updated at `createdAt`. */
export function makeJob({
  id,
  status,
  createdAt,
  items = [],
}: {
  id: string;
  status: BatchJob['status'];
  createdAt: Date;
  items?: BatchJob['items'];
}): BatchJob {
  return {
    id,
    status,
    createdAt: createdAt.toISOString(),
    updatedAt: createdAt.toISOString(),
    apiKeyId: 'key-1',
    total: items.length,
    items,
  };
}

/** A follow-up exchange about `defectId`, without its id. */
export function makeExchange({
  defectId,
  question,
  askedAt,
}: {
  defectId: DefectId;
  question: string;
  askedAt: Date;
}): Omit<StoredExchange, 'id'> {
  return {
    defectId,
    question,
    answer: `Answer to: ${question}`,
    agent: 'root_cause',
    citations: [
      {
        source_id: 'DEF-20240314-3FA2B91C',
        chunk_id: 'DEF-20240314-3FA2B91C#confirmed-root-cause',
        doc_type: 'past_defect',
        title: 'Rust spots near the bolster',
        excerpt: 'The door seal of the quench chamber was worn.',
      },
    ],
    askedAt: askedAt.toISOString(),
    apiKeyId: null,
  };
}

/** A stored API key. */
export function makeApiKey({
  id,
  facility = null,
}: {
  id: string;
  facility?: Facility | null;
}): StoredApiKey {
  return {
    id,
    name: `Key ${id}`,
    facility,
    secretHash: `sha256:${id}`,
    createdAt: FIXTURE_EPOCH.toISOString(),
    revokedAt: null,
    readOnly: false,
    evaluation: false,
  };
}

/** An audit entry at `at`. */
export function makeAuditEntry({ at, action }: { at: Date; action: string }): AuditEntry {
  return {
    at: at.toISOString(),
    actor: 'key-1',
    action,
    target: 'DEF-20260301-00000001',
    details: { reason: action, nested: { count: 2, flags: [true, false] } },
  };
}

/** The review a store holds after a person moved a draft to `state`, with fields changed by `fields`. */
export function makeReview({
  analysis,
  version,
  state = 'confirmed',
  fields = {},
  at = FIXTURE_EPOCH,
}: {
  analysis: ConsolidatedAnalysis;
  version: number;
  state?: ReviewState;
  fields?: Partial<ReviewedFields>;
  at?: Date;
}): Review {
  const draft = draftReview(analysis, version);
  return {
    ...draft,
    state,
    reviewed_by: 'QA reviewer',
    reviewed_at: at.toISOString(),
    fields: { ...draft.fields, ...fields },
  };
}

/** One audit event of a review write. */
export function makeReviewEvent({
  kind = 'confirmed',
  at = FIXTURE_EPOCH,
  stateBefore = 'draft',
  stateAfter = 'confirmed',
  target = null,
  before = null,
  after = null,
}: {
  kind?: ReviewEventKind;
  at?: Date;
  stateBefore?: ReviewState;
  stateAfter?: ReviewState;
  target?: string | null;
  before?: unknown;
  after?: unknown;
} = {}): NewReviewEvent {
  return {
    at: at.toISOString(),
    actor: { name: 'QA reviewer', api_key_id: 'key-1', api_key_name: 'Key key-1' },
    kind,
    target,
    before,
    after,
    reason: 'checked on the line',
    state_before: stateBefore,
    state_after: stateAfter,
  };
}
