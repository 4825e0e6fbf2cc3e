import { z } from 'zod';
import { ConsolidatedAnalysis, CorrectiveAction } from './analysis.ts';
import { Category6M, ClassifiedType, Disposition, ProductionStage, Severity } from './vocabulary.ts';

/**
 * Where an analysis stands in its review (the 8D lifecycle): `draft` is machine output nobody
 * has looked at; `confirmed` a person accepted it as it is; `corrected` a person changed it;
 * `closed` every corrective action was verified effective; `rejected` the report was not a defect.
 */
export const ReviewState = z.enum(['draft', 'confirmed', 'corrected', 'closed', 'rejected']);
export type ReviewState = z.infer<typeof ReviewState>;

/** Review states in which a person has accepted the analysis (as it is or corrected). */
export const CONFIRMED_REVIEW_STATES = [
  'confirmed',
  'corrected',
  'closed',
] as const satisfies readonly ReviewState[];

/** Whether a person accepted the analysis, as it is or corrected. */
export function isConfirmedReviewState(state: ReviewState): boolean {
  return (CONFIRMED_REVIEW_STATES as readonly ReviewState[]).includes(state);
}

/** Progress of one corrective action towards verified closure. */
export const ActionStatus = z.enum(['open', 'in_progress', 'done', 'verified', 'ineffective']);
export type ActionStatus = z.infer<typeof ActionStatus>;

/** The status changes an action may make; a change to the same status is not one. */
export const ACTION_STATUS_TRANSITIONS: Record<ActionStatus, readonly ActionStatus[]> = {
  open: ['in_progress', 'done'],
  in_progress: ['open', 'done'],
  done: ['in_progress', 'verified', 'ineffective'],
  verified: ['ineffective'],
  ineffective: ['in_progress', 'done'],
};

/** Who made a change: the API key's name, or the reviewer the request named. */
export const Actor = z.object({
  name: z.string().min(1).max(120),
  api_key_id: z.string().nullable(),
  api_key_name: z.string().nullable(),
});
export type Actor = z.infer<typeof Actor>;

/** A corrective action as tracked through review: the planner's action plus its progress. */
export const TrackedAction = CorrectiveAction.extend({
  id: z.string().regex(/^A\d{1,4}$/, 'action ids look like A1, A2, …'),
  origin: z.enum(['machine', 'reviewer']),
  status: ActionStatus,
  status_changed_at: z.iso.datetime().nullable(),
  status_changed_by: z.string().nullable(),
  started_at: z.iso.datetime().nullable(),
  done_at: z.iso.datetime().nullable(),
  verified_at: z.iso.datetime().nullable(),
  /** What the effectiveness check found, required to set `verified` or `ineffective`. */
  effectiveness_evidence: z.string().nullable(),
});
export type TrackedAction = z.infer<typeof TrackedAction>;

/**
 * The fields of an analysis a reviewer may correct, with their current values: the machine's
 * answer until a correction replaces it.
 */
export const ReviewedFields = z.object({
  defect_type: ClassifiedType,
  severity: Severity,
  disposition: Disposition,
  probable_stage: ProductionStage.nullable(),
  category_6m: Category6M.nullable(),
  occurrence_cause: z.string().nullable(),
  escape_cause: z.string().nullable(),
  systemic_cause: z.string().nullable(),
});
export type ReviewedFields = z.infer<typeof ReviewedFields>;

/** Names of the fields a reviewer may correct. */
export const CorrectableField = ReviewedFields.keyof();
export type CorrectableField = z.infer<typeof CorrectableField>;

/** One correction of one field: what the analysis said, what it says now, who and why. */
export const Correction = z.object({
  field: CorrectableField,
  before: z.string().nullable(),
  after: z.string().nullable(),
  reason: z.string().min(1),
  by: z.string(),
  at: z.iso.datetime(),
});
export type Correction = z.infer<typeof Correction>;

/** The review of one analysis: its state, the reviewed fields, the corrections and the actions. */
export const Review = z.object({
  state: ReviewState,
  /** Changes with every write of the analysis; the analysis' ETag. */
  version: z.number().int().min(1),
  /** Set once a person confirmed, corrected or rejected the analysis. */
  reviewed_by: z.string().nullable(),
  reviewed_at: z.iso.datetime().nullable(),
  closed_by: z.string().nullable(),
  closed_at: z.iso.datetime().nullable(),
  rejected_reason: z.string().nullable(),
  /** The current values of the correctable fields (the machine's, where nobody corrected them). */
  fields: ReviewedFields,
  corrections: z.array(Correction),
  actions: z.array(TrackedAction),
});
export type Review = z.infer<typeof Review>;

/** What one entry of the audit trail records. */
export const ReviewEventKind = z.enum([
  'confirmed',
  'corrected',
  'rejected',
  'closed',
  'reopened',
  'action_added',
  'action_edited',
  'action_dropped',
  'action_status_changed',
]);
export type ReviewEventKind = z.infer<typeof ReviewEventKind>;

/** One entry of an analysis' append-only audit trail. */
export const ReviewEvent = z.object({
  sequence: z.number().int().min(1),
  defect_id: z.string(),
  at: z.iso.datetime(),
  actor: Actor,
  kind: ReviewEventKind,
  /** The corrected field or the action id the change is about. */
  target: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  reason: z.string().nullable(),
  state_before: ReviewState,
  state_after: ReviewState,
  /** The analysis version this change produced. */
  version: z.number().int().min(1),
});
export type ReviewEvent = z.infer<typeof ReviewEvent>;

/** An analysis as the API returns it: the machine's analysis and its review. */
export const ReviewedAnalysis = ConsolidatedAnalysis.extend({ review: Review });
export type ReviewedAnalysis = z.infer<typeof ReviewedAnalysis>;

/** The correctable fields as the machine's analysis states them. */
export function machineFields(analysis: ConsolidatedAnalysis): ReviewedFields {
  const classification = analysis.classification;
  const rootCause = analysis.root_cause;
  return {
    defect_type: classification?.defect_type ?? 'unknown',
    severity: classification?.severity ?? 'none',
    disposition: classification?.recommended_action ?? 'HOLD',
    probable_stage: rootCause?.probable_stage ?? null,
    category_6m: rootCause?.root_cause.category_6m ?? null,
    occurrence_cause: rootCause?.root_cause.occurrence ?? null,
    escape_cause: rootCause?.root_cause.escape ?? null,
    systemic_cause: rootCause?.root_cause.systemic ?? null,
  };
}

/** The review of an analysis nobody has reviewed: the machine's fields and actions, all open. */
export function draftReview(analysis: ConsolidatedAnalysis, version: number): Review {
  return {
    state: 'draft',
    version,
    reviewed_by: null,
    reviewed_at: null,
    closed_by: null,
    closed_at: null,
    rejected_reason: null,
    fields: machineFields(analysis),
    corrections: [],
    actions: (analysis.corrective_actions ?? []).map((action, index) => ({
      ...action,
      id: `A${index + 1}`,
      origin: 'machine' as const,
      status: 'open' as const,
      status_changed_at: null,
      status_changed_by: null,
      started_at: null,
      done_at: null,
      verified_at: null,
      effectiveness_evidence: null,
    })),
  };
}
