import { z } from 'zod';
import {
  ActionType,
  AgentName,
  AgentRun,
  AnalysisStatus,
  Category6M,
  Classification,
  DefectId,
  Disposition,
  DocType,
  EffectivenessCheck,
  Facility,
  Ishikawa,
  ProductionStage,
  ProductSku,
  QUALITY_STANDARDS,
  RootCauseStatement,
  STAGE_DETAILS,
  Severity,
  WhyStep,
  ActionStatus,
  CorrectableField,
  Correction,
  ReviewEventKind,
  ReviewState,
  draftReview,
  isConfirmedReviewState,
  machineFields,
  type ConsolidatedAnalysis,
  type Review,
  type ReviewEvent,
  type ReviewedFields,
  type RootCauseAnalysis,
  type TrackedAction,
} from '../../domain/index.ts';
import { readReportFacts } from '../../agents/report-facts/index.ts';
import { addDays, formatDateTime, formatDays, formatPercent, humanize } from './text.ts';

/** Version tag of the report model; bumped when the shape changes incompatibly. */
export const REPORT_SCHEMA_VERSION = 'rca-report/2';

/** The 6M categories in the order the report and the fishbone show them. */
export const CATEGORIES_6M = Category6M.options;

/** How complete a report section is. */
export const SectionState = z.enum(['available', 'partial', 'not_applicable', 'missing']);
export type SectionState = z.infer<typeof SectionState>;

/** Whether a section could be built, and if not fully, what is missing and why. */
export const Availability = z.object({
  state: SectionState,
  note: z.string().nullable().describe('What is missing and why; null when the section is complete'),
});
export type Availability = z.infer<typeof Availability>;

/** A CAPA action as the report shows it: numbered, with the date by which its effect must be shown. */
export const ReportAction = z.object({
  ref: z.string().regex(/^A\d+$/),
  type: ActionType,
  description: z.string().min(1),
  owner_role: z.string().min(1),
  due_date: z.iso.date(),
  effectiveness_check: EffectivenessCheck,
  verify_by: z.iso.date().describe('Due date plus the check window: when the effect must be shown'),
  citations: z.array(z.string()),
  hypothesis: z.boolean().describe('True when the action cites no knowledge-base passage'),
  origin: z.enum(['machine', 'reviewer']).describe('Proposed by the planner, or added by a reviewer'),
  status: ActionStatus,
  status_changed_at: z.iso.datetime().nullable(),
  status_changed_by: z.string().nullable().describe('Who set the current status'),
  started_at: z.iso.datetime().nullable(),
  done_at: z.iso.datetime().nullable(),
  verified_at: z.iso.datetime().nullable(),
  effectiveness_evidence: z.string().nullable().describe('What the effectiveness check found'),
});
export type ReportAction = z.infer<typeof ReportAction>;

/** One correctable field as the report states it: its reviewed value beside the machine's. */
export const ReportReviewedField = z.object({
  field: CorrectableField,
  label: z.string(),
  value: z.string().nullable().describe('The reviewed value: the machine value unless a person corrected it'),
  machine_value: z.string().nullable(),
  corrected: z.boolean().describe('True when the reviewed value differs from the machine value'),
});
export type ReportReviewedField = z.infer<typeof ReportReviewedField>;

/** Where the analysis stands in its review, who decided, and what was corrected. */
export const ReportReview = z.object({
  state: ReviewState,
  label: z.string().describe('The state in words; a draft is an unconfirmed machine draft'),
  machine_draft: z.boolean().describe('True while no person has confirmed, corrected or rejected it'),
  version: z.number().int().min(1),
  reviewed_by: z.string().nullable(),
  reviewed_at: z.iso.datetime().nullable(),
  closed_by: z.string().nullable(),
  closed_at: z.iso.datetime().nullable(),
  rejected_reason: z.string().nullable(),
  fields: z.array(ReportReviewedField),
  corrected_fields: z.array(CorrectableField),
  corrections: z.array(Correction.extend({ label: z.string() })),
  action_status_counts: z.record(ActionStatus, z.number().int().min(0)),
  dropped_actions: z.array(
    z.object({
      ref: z.string(),
      description: z.string().nullable(),
      reason: z.string().nullable(),
      by: z.string(),
      at: z.iso.datetime(),
    }),
  ),
});
export type ReportReview = z.infer<typeof ReportReview>;

/** One entry of the review's audit trail, with its values as text. */
export const ReportAuditEvent = z.object({
  sequence: z.number().int().min(1),
  at: z.iso.datetime(),
  by: z.string(),
  api_key_name: z.string().nullable(),
  kind: ReviewEventKind,
  label: z.string(),
  target: z.string().nullable().describe('The corrected field or the action ref'),
  before: z.string().nullable(),
  after: z.string().nullable(),
  reason: z.string().nullable(),
  state_before: ReviewState,
  state_after: ReviewState,
  version: z.number().int().min(1),
});
export type ReportAuditEvent = z.infer<typeof ReportAuditEvent>;

/** A measured value with the plant standard it is judged against, when there is one. */
export const ReportMeasurement = z.object({
  name: z.string(),
  label: z.string(),
  value: z.number(),
  unit: z.string().nullable(),
  spec: z.string().nullable(),
  within_spec: z.boolean().nullable(),
});
export type ReportMeasurement = z.infer<typeof ReportMeasurement>;

/** A cited knowledge-base passage, numbered for references, with the places that cite it. */
export const ReportCitation = z.object({
  number: z.number().int().min(1),
  chunk_id: z.string(),
  source_id: z.string(),
  doc_type: DocType,
  title: z.string(),
  section: z.string().nullable(),
  excerpt: z.string(),
  score: z.number().nullable(),
  cited_by: z.array(z.string()),
});
export type ReportCitation = z.infer<typeof ReportCitation>;

/** Severity-driven level of the D0 emergency response. */
export const EmergencyLevel = z.enum(['line_stop', 'hold', 'segregate', 'log_only', 'none', 'undetermined']);
export type EmergencyLevel = z.infer<typeof EmergencyLevel>;

/** The full root-cause-analysis report of one analysis, in 8D shape (snake_case on the wire). */
export const RcaReport = z.object({
  schema_version: z.literal(REPORT_SCHEMA_VERSION),
  title: z.string(),
  defect_id: DefectId,
  generated_at: z.iso.datetime(),
  review: ReportReview,
  subject: z.object({
    product_sku: ProductSku.nullable(),
    product_label: z.string().nullable(),
    facility: Facility.nullable(),
    batch_id: z.string().nullable(),
    shift: z.string().nullable(),
  }),
  analysis: z.object({
    status: AnalysisStatus,
    created_at: z.iso.datetime(),
    completed_at: z.iso.datetime().nullable(),
    failure: z.object({ step: AgentName, code: z.string(), message: z.string() }).nullable(),
    agents: z.array(
      z.object({
        agent: AgentName,
        label: z.string(),
        status: AgentRun.shape.status,
        error: z.object({ code: z.string(), message: z.string() }).nullable(),
      }),
    ),
    notes: z.array(z.string()).describe('What the analysis lacks and why'),
  }),
  classification: z.object({
    availability: Availability,
    result: Classification.nullable(),
    defect_label: z.string().nullable(),
    needs_human_review: z.boolean(),
  }),
  d0_emergency_response: z.object({
    availability: Availability,
    level: EmergencyLevel,
    severity: Severity.nullable(),
    escalate: z.boolean(),
    escalation_reason: z.string().nullable(),
    actions: z.array(z.string()),
  }),
  d1_team: z.object({
    availability: Availability,
    members: z.array(z.object({ role: z.string(), responsibilities: z.array(z.string()) })),
  }),
  d2_problem_statement: z.object({
    availability: Availability,
    statement: z.string(),
    what: z.string(),
    where: z.string(),
    when: z.string(),
    who: z.string(),
    why: z.string(),
    how: z.string(),
    how_many: z.string(),
    is: z.array(z.string()),
    is_not: z.array(z.string()),
  }),
  d3_containment: z.object({
    availability: Availability,
    disposition: Disposition.nullable(),
    actions: z.array(ReportAction),
  }),
  d4_root_causes: z.object({
    availability: Availability,
    effect: z.string().describe('The effect at the head of the fishbone'),
    probable_stage: ProductionStage.nullable(),
    probable_stage_label: z.string().nullable(),
    stage_confidence: z.number().min(0).max(1).nullable(),
    stage_needs_review: z.boolean(),
    root_cause: RootCauseStatement.nullable(),
    five_why_chain: z.array(WhyStep),
    unverified_steps: z.array(z.number().int()),
    hypothesis_steps: z.array(z.number().int()),
    fishbone: Ishikawa.nullable(),
  }),
  d5_corrective_actions: z.object({ availability: Availability, actions: z.array(ReportAction) }),
  d6_implementation_and_validation: z.object({
    availability: Availability,
    steps: z.array(
      z.object({
        action_ref: z.string(),
        type: ActionType,
        description: z.string(),
        owner_role: z.string(),
        due_date: z.iso.date(),
        effectiveness_check: EffectivenessCheck,
        verify_by: z.iso.date(),
        ...ReportAction.pick({
          origin: true,
          status: true,
          status_changed_at: true,
          status_changed_by: true,
          started_at: true,
          done_at: true,
          verified_at: true,
          effectiveness_evidence: true,
        }).shape,
      }),
    ),
    validated_by: z.iso.date().nullable().describe('The last verify-by date of the plan'),
  }),
  d7_prevention: z.object({
    availability: Availability,
    actions: z.array(ReportAction),
    standardisation: z.array(
      z.object({
        document: z.enum(['sop', 'pfmea', 'control_plan']),
        update: z.string(),
        covered_by: z.array(z.string()).describe('Refs of the actions that already name this update'),
      }),
    ),
    horizontal_deployment: z
      .object({
        scope: z.string(),
        other_facilities: z.array(Facility),
        other_skus: z.array(ProductSku),
        covered_by: z.array(z.string()),
      })
      .nullable(),
  }),
  d8_closure: z.object({
    availability: Availability,
    status: z.enum(['open', 'closed', 'not_required']),
    criteria: z.array(
      z.object({
        criterion: z.string(),
        due: z.iso.date().nullable(),
        action_ref: z.string().nullable(),
        met: z.boolean(),
      }),
    ),
    earliest_closure: z.iso.date().nullable(),
  }),
  evidence: z.object({
    description: z.string().nullable(),
    observations: z.array(z.string()),
    measurements: z.array(ReportMeasurement),
    production_data: z.array(z.object({ key: z.string(), value: z.string() })),
    why_evidence: z.array(
      z.object({
        step: z.number().int(),
        kind: z.string(),
        detail: z.string(),
        source_id: z.string().nullable(),
      }),
    ),
    image_attached: z.boolean(),
    image: z
      .object({ media_type: z.string(), url: z.string().describe('Where the API serves the photo') })
      .nullable(),
  }),
  similar_past_defects: z.object({
    availability: Availability,
    defects: z.array(
      z.object({
        defect_id: z.string(),
        title: z.string().nullable(),
        passages: z.array(
          z.object({ chunk_id: z.string(), section: z.string().nullable(), excerpt: z.string() }),
        ),
      }),
    ),
  }),
  effectiveness_check_plan: z.object({
    availability: Availability,
    checks: z.array(
      z.object({
        action_ref: z.string(),
        type: ActionType,
        owner_role: z.string(),
        metric: z.string(),
        threshold: z.string(),
        window_days: z.number().int(),
        starts_on: z.iso.date(),
        verify_by: z.iso.date(),
        status: ActionStatus,
        effectiveness_evidence: z.string().nullable(),
      }),
    ),
  }),
  citations: z.array(ReportCitation),
  unresolved_citation_ids: z
    .array(z.string())
    .describe('Ids cited by the analysis that the knowledge base did not resolve; treat as hypotheses'),
  audit_trail: z.object({
    availability: Availability,
    events: z.array(ReportAuditEvent).describe('Every review change, oldest first'),
  }),
});
export type RcaReport = z.infer<typeof RcaReport>;

const AGENT_LABELS: Record<AgentName, string> = {
  classifier: 'classifier',
  root_cause: 'root-cause analyst',
  corrective_action: 'corrective-action planner',
};

const PRODUCT_LABELS: Record<ProductSku, string> = {
  'WK-KN-200': '8" chef knife',
  'WK-KN-150': '6" utility knife',
  'WK-KN-100': '4" paring knife',
  'WK-SC-200': 'kitchen scissors',
  'WK-CI-200': '20 cm cast-iron pan',
  'WK-CI-280': '28 cm wok',
};

const SEVERITY_MEANING: Record<Severity, string> = {
  critical: 'critical: a safety or process failure, the line stops',
  major: 'major: cannot ship; hold, rework or scrap',
  minor: 'minor: ships after rework or with a concession',
  cosmetic: 'cosmetic: logged only',
  none: 'no severity: no defect',
};

const EMERGENCY_LEVEL_BY_SEVERITY: Record<Severity, EmergencyLevel> = {
  critical: 'line_stop',
  major: 'hold',
  minor: 'segregate',
  cosmetic: 'log_only',
  none: 'none',
};

const COUNT_KEY = /count|qty|quantity|units|pieces|pcs|lot_size|sample|affected|rejected|defective/i;
const PLACE_KEY = /line|machine|station|cell|furnace|chamber|equipment|mould|mold|fixture/i;
const TIME_KEY = /date|time|week|day|hour/i;
const PERSON_KEY = /operator|inspector|customer|supplier|reporter|found_by|detected_by/i;

/** A known measurement's label, unit and plant standard. */
const MEASUREMENT_SPECS: Record<
  string,
  { label: string; unit: string; spec: string | null; within?: (value: number) => boolean }
> = {
  hardness_hrc: {
    label: 'Hardness',
    unit: 'HRC',
    spec: `${QUALITY_STANDARDS.hardnessHrc.min}-${QUALITY_STANDARDS.hardnessHrc.max} HRC`,
    within: (value) =>
      value >= QUALITY_STANDARDS.hardnessHrc.min && value <= QUALITY_STANDARDS.hardnessHrc.max,
  },
  sharpness_icp: {
    label: 'Sharpness (CATRA)',
    unit: 'ICP',
    spec: `> ${QUALITY_STANDARDS.sharpnessIcpMin} ICP`,
    within: (value) => value > QUALITY_STANDARDS.sharpnessIcpMin,
  },
  salt_spray_hours: {
    label: 'Salt spray before rust',
    unit: 'h',
    spec: `≥ ${QUALITY_STANDARDS.saltSprayHoursWithoutRust} h without rust`,
    within: (value) => value >= QUALITY_STANDARDS.saltSprayHoursWithoutRust,
  },
  edge_angle_deg: {
    label: 'Edge angle',
    unit: '°',
    spec: `nominal ± ${QUALITY_STANDARDS.edgeAngleToleranceDeg}°`,
  },
  defect_size_mm: { label: 'Defect size', unit: 'mm', spec: null },
};

const UNIT_SUFFIXES: Array<[RegExp, string]> = [
  [/_mm$/, 'mm'],
  [/_deg$/, '°'],
  [/_hrc$/, 'HRC'],
  [/_icp$/, 'ICP'],
  [/_hours$/, 'h'],
  [/_(pct|percent)$/, '%'],
  [/_c$/, '°C'],
  [/_s$/, 's'],
];

function describeMeasurement({ name, value }: { name: string; value: number }): ReportMeasurement {
  const known = MEASUREMENT_SPECS[name];
  const unit = known?.unit ?? UNIT_SUFFIXES.find(([pattern]) => pattern.test(name))?.[1] ?? null;
  return {
    name,
    label: known?.label ?? humanize(name),
    value,
    unit,
    spec: known?.spec ?? null,
    within_spec: known?.within ? known.within(value) : null,
  };
}

function measurementText(measurement: ReportMeasurement): string {
  return `${measurement.label} ${measurement.value}${measurement.unit ? ` ${measurement.unit}` : ''}`;
}

function stageLabel(stage: ProductionStage): string {
  return STAGE_DETAILS[stage].label;
}

/** The stage label without its parenthetical facts, for use inside a sentence. */
function stageName(stage: ProductionStage): string {
  return STAGE_DETAILS[stage].label.replace(/\s*\(.*\)$/, '');
}

/** A sentence as a clause to embed in another sentence: without its closing full stop. */
function clause(text: string): string {
  return text.trim().replace(/[.\s]+$/, '');
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function joinOr({ items, fallback }: { items: readonly string[]; fallback: string }): string {
  return items.length > 0 ? items.join('; ') : fallback;
}

/** Why an agent's output is absent: not needed (no defect) or missing (failed, skipped, pending). */
function agentGap({ analysis, agent }: { analysis: ConsolidatedAnalysis; agent: AgentName }): Availability {
  const label = AGENT_LABELS[agent];
  const classification = analysis.classification;
  if (agent !== 'classifier' && classification && !classification.defect_detected) {
    return { state: 'not_applicable', note: `No defect was detected, so the ${label} did not run.` };
  }
  const run = analysis.agents[agent];
  const failure = analysis.failure;
  if (run?.status === 'failed') {
    const error = run.error ?? (failure?.step === agent ? failure : null);
    return {
      state: 'missing',
      note: `The ${label} failed${error ? ` (${error.code}: ${error.message})` : ''}.`,
    };
  }
  if (run?.status === 'skipped') {
    return {
      state: 'missing',
      note: failure
        ? `The ${label} was skipped because the ${AGENT_LABELS[failure.step]} failed (${failure.code}: ${failure.message}).`
        : `The ${label} was skipped.`,
    };
  }
  if (run === undefined || run.status === 'pending') {
    return { state: 'missing', note: `The analysis is ${analysis.status}: the ${label} has not run yet.` };
  }
  return { state: 'missing', note: `The ${label} completed but returned no result.` };
}

function toReportActions(actions: readonly TrackedAction[]): ReportAction[] {
  return actions.map((action) => ({
    ref: action.id,
    type: action.type,
    description: action.description,
    owner_role: action.owner_role,
    due_date: action.due_date,
    effectiveness_check: { ...action.effectiveness_check },
    verify_by: addDays({ date: action.due_date, days: action.effectiveness_check.window_days }),
    citations: [...action.citations],
    hypothesis: action.citations.length === 0,
    origin: action.origin,
    status: action.status,
    status_changed_at: action.status_changed_at,
    status_changed_by: action.status_changed_by,
    started_at: action.started_at,
    done_at: action.done_at,
    verified_at: action.verified_at,
    effectiveness_evidence: action.effectiveness_evidence,
  }));
}

/** The state of a review in words; a draft is labelled an unconfirmed machine draft. */
export const REVIEW_STATE_LABELS: Record<ReviewState, string> = {
  draft: 'Unconfirmed machine draft',
  confirmed: 'Confirmed by a person',
  corrected: 'Corrected by a person',
  closed: 'Closed: every corrective action verified effective',
  rejected: 'Rejected: not a defect',
};

/** Words for each correctable field. */
export const CORRECTABLE_FIELD_LABELS: Record<CorrectableField, string> = {
  defect_type: 'Defect type',
  severity: 'Severity',
  disposition: 'Disposition',
  probable_stage: 'Probable stage',
  category_6m: '6M category',
  occurrence_cause: 'Occurrence cause',
  escape_cause: 'Escape cause',
  systemic_cause: 'Systemic cause',
};

/** Words for each action status. */
export const ACTION_STATUS_LABELS: Record<ActionStatus, string> = {
  open: 'open',
  in_progress: 'in progress',
  done: 'done',
  verified: 'verified effective',
  ineffective: 'ineffective',
};

/** Words for each kind of audit event. */
export const REVIEW_EVENT_LABELS: Record<ReviewEventKind, string> = {
  confirmed: 'Confirmed',
  corrected: 'Corrected',
  rejected: 'Rejected',
  closed: 'Closed',
  reopened: 'Reopened',
  action_added: 'Action added',
  action_edited: 'Action edited',
  action_dropped: 'Action dropped',
  action_status_changed: 'Action status changed',
};

/** Longest text an audit value is shown with; the trail itself keeps every value. */
const AUDIT_VALUE_CHARACTERS = 240;

function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1).trimEnd()}…`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An audit event's before or after value as short text: plain values as they are, an action by its ref and description. */
function auditValueText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return truncate(value, AUDIT_VALUE_CHARACTERS);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isRecord(value) && typeof value.description === 'string' && typeof value.id === 'string') {
    return truncate(`${value.id} (${String(value.type)}): ${value.description}`, AUDIT_VALUE_CHARACTERS);
  }
  if (isRecord(value)) {
    const entries = Object.entries(value).map(
      ([key, entry]) => `${key}: ${typeof entry === 'string' ? entry : JSON.stringify(entry)}`,
    );
    return truncate(entries.join('; '), AUDIT_VALUE_CHARACTERS);
  }
  return truncate(JSON.stringify(value), AUDIT_VALUE_CHARACTERS);
}

function fieldText(value: ReviewedFields[CorrectableField]): string | null {
  return value === null ? null : String(value);
}

/**
 * The analysis as its review states it: the reviewed type, severity, disposition, stage, 6M
 * category and causes in place of the machine's, and the tracked actions in place of the plan
 * (null when the planner gave none and no reviewer added any).
 */
function reviewedView({ analysis, review }: { analysis: ConsolidatedAnalysis; review: Review }): {
  analysis: ConsolidatedAnalysis;
  actions: TrackedAction[] | null;
} {
  const fields = review.fields;
  const machine = machineFields(analysis);
  const classification = analysis.classification
    ? {
        ...analysis.classification,
        defect_type: fields.defect_type,
        defect_detected:
          fields.defect_type === machine.defect_type
            ? analysis.classification.defect_detected
            : fields.defect_type !== 'none',
        severity: fields.severity,
        recommended_action: fields.disposition,
      }
    : null;
  const machineRootCause = analysis.root_cause;
  const rootCause = machineRootCause
    ? {
        ...machineRootCause,
        probable_stage: fields.probable_stage ?? machineRootCause.probable_stage,
        root_cause: {
          ...machineRootCause.root_cause,
          category_6m: fields.category_6m ?? machineRootCause.root_cause.category_6m,
          occurrence: fields.occurrence_cause ?? machineRootCause.root_cause.occurrence,
          escape: fields.escape_cause ?? machineRootCause.root_cause.escape,
          systemic: fields.systemic_cause ?? machineRootCause.root_cause.systemic,
        },
      }
    : null;
  const actions = analysis.corrective_actions === null && review.actions.length === 0 ? null : review.actions;
  return { analysis: { ...analysis, classification, root_cause: rootCause }, actions };
}

function reportReview({
  analysis,
  review,
  events,
}: {
  analysis: ConsolidatedAnalysis;
  review: Review;
  events: readonly ReviewEvent[];
}): ReportReview {
  const machine = machineFields(analysis);
  const fields = CorrectableField.options.map((field) => {
    const value = fieldText(review.fields[field]);
    const machineValue = fieldText(machine[field]);
    return {
      field,
      label: CORRECTABLE_FIELD_LABELS[field],
      value,
      machine_value: machineValue,
      corrected: value !== machineValue,
    };
  });
  const counts = Object.fromEntries(ActionStatus.options.map((status) => [status, 0])) as Record<
    ActionStatus,
    number
  >;
  for (const action of review.actions) counts[action.status] += 1;
  return {
    state: review.state,
    label: REVIEW_STATE_LABELS[review.state],
    machine_draft: review.state === 'draft',
    version: review.version,
    reviewed_by: review.reviewed_by,
    reviewed_at: review.reviewed_at,
    closed_by: review.closed_by,
    closed_at: review.closed_at,
    rejected_reason: review.rejected_reason,
    fields,
    corrected_fields: fields.filter((field) => field.corrected).map((field) => field.field),
    corrections: review.corrections.map((correction) => ({
      ...correction,
      label: CORRECTABLE_FIELD_LABELS[correction.field],
    })),
    action_status_counts: counts,
    dropped_actions: events
      .filter((event) => event.kind === 'action_dropped' && event.target !== null)
      .map((event) => ({
        ref: event.target ?? '',
        description:
          isRecord(event.before) && typeof event.before.description === 'string'
            ? event.before.description
            : null,
        reason: event.reason,
        by: event.actor.name,
        at: event.at,
      })),
  };
}

function auditTrail({
  review,
  events,
}: {
  review: Review;
  events: readonly ReviewEvent[] | undefined;
}): RcaReport['audit_trail'] {
  if (events === undefined) {
    return {
      availability: {
        state: review.state === 'draft' ? 'not_applicable' : 'missing',
        note:
          review.state === 'draft'
            ? 'Nobody has reviewed the analysis yet: it is an unconfirmed machine draft.'
            : 'The audit trail was not included in this report; read it from the API.',
      },
      events: [],
    };
  }
  return {
    availability:
      events.length === 0
        ? { state: 'not_applicable', note: 'No review change has been recorded yet.' }
        : { state: 'available', note: null },
    events: [...events]
      .sort((left, right) => left.sequence - right.sequence)
      .map((event) => ({
        sequence: event.sequence,
        at: event.at,
        by: event.actor.name,
        api_key_name: event.actor.api_key_name,
        kind: event.kind,
        label: REVIEW_EVENT_LABELS[event.kind],
        target: event.target,
        before: auditValueText(event.before),
        after: auditValueText(event.after),
        reason: event.reason,
        state_before: event.state_before,
        state_after: event.state_after,
        version: event.version,
      })),
  };
}

/** Whether the report's value of a correctable field was corrected by a person. */
export function isCorrected(report: RcaReport, field: CorrectableField): boolean {
  return report.review.corrected_fields.includes(field);
}

/** Availability of the action plan as a whole. */
function planAvailability({
  analysis,
  actions,
}: {
  analysis: ConsolidatedAnalysis;
  actions: readonly ReportAction[] | null;
}): Availability {
  if (actions === null) return agentGap({ analysis, agent: 'corrective_action' });
  if (actions.length === 0) {
    const unknown = analysis.classification?.defect_type === 'unknown';
    return {
      state: 'missing',
      note: unknown
        ? 'The corrective-action planner proposed no actions: the defect type is unknown, so a person must classify it first.'
        : 'The corrective-action planner proposed no actions.',
    };
  }
  return { state: 'available', note: null };
}

function actionsOfType({
  plan,
  actions,
  types,
}: {
  plan: Availability;
  actions: readonly ReportAction[] | null;
  types: readonly ActionType[];
}): { availability: Availability; actions: ReportAction[] } {
  if (actions === null || plan.state !== 'available') return { availability: plan, actions: [] };
  const selected = actions.filter((action) => types.includes(action.type));
  return {
    availability:
      selected.length > 0
        ? { state: 'available', note: null }
        : { state: 'missing', note: `The action plan has no ${types.join(' or ')} action.` },
    actions: selected,
  };
}

function emergencyResponse({
  analysis,
  classificationGap,
  rootCause,
}: {
  analysis: ConsolidatedAnalysis;
  classificationGap: Availability;
  rootCause: RootCauseAnalysis | null;
}): RcaReport['d0_emergency_response'] {
  const classification = analysis.classification;
  const batch = analysis.report.batch_id;
  const lot = batch ? `batch ${batch}` : 'the reported lot';
  if (!classification) {
    return {
      availability: classificationGap,
      level: 'undetermined',
      severity: null,
      escalate: true,
      escalation_reason: 'The defect could not be classified by the analysis.',
      actions: [
        `Hold ${lot} until a person classifies the defect.`,
        'Escalate to the MRB / supervisor: the automated classification is missing.',
      ],
    };
  }
  if (!classification.defect_detected) {
    return {
      availability: {
        state: 'not_applicable',
        note: 'No defect was detected: no emergency response is needed.',
      },
      level: 'none',
      severity: classification.severity,
      escalate: classification.escalate,
      escalation_reason: classification.escalation_reason,
      actions: [],
    };
  }
  const level = EMERGENCY_LEVEL_BY_SEVERITY[classification.severity];
  const disposition = classification.recommended_action;
  const actions: string[] = [];
  if (level === 'line_stop') {
    const where = rootCause ? ` at ${stageName(rootCause.probable_stage)}` : '';
    const sku = analysis.report.product_sku ? `${analysis.report.product_sku} ` : '';
    actions.push(
      `Stop the line${where}: critical severity (safety or process failure).`,
      `Quarantine all ${sku}product made since the last good check, starting with ${lot}; ship nothing from the suspect lots.`,
      `Escalate to the MRB and the production supervisor${classification.escalation_reason ? ` (${clause(classification.escalation_reason)})` : ''}.`,
      'Restart only when the MRB releases the line with a verified fix or a 100 % check in place.',
    );
  } else if (level === 'hold') {
    actions.push(`Hold ${lot} and stop its shipment until it is sorted (disposition ${disposition}).`);
  } else if (level === 'segregate') {
    const treatment =
      disposition === 'SCRAP' ? 'scrap' : disposition === 'PASS' ? 'a concession' : 'rework or a concession';
    actions.push(`Segregate the affected parts of ${lot} for ${treatment}; the line keeps running.`);
  } else if (level === 'log_only') {
    actions.push('Log the defect; no hold is needed.');
  }
  if (classification.escalate && level !== 'line_stop') {
    actions.push(
      `Escalate to the MRB / supervisor for human review${classification.escalation_reason ? ` (${clause(classification.escalation_reason)})` : ''}.`,
    );
  } else if (!classification.escalate && classification.confidence < 0.5) {
    actions.push(
      `Have a person review the classification: confidence ${formatPercent(classification.confidence)} is below 50 %.`,
    );
  }
  return {
    availability: { state: 'available', note: null },
    level,
    severity: classification.severity,
    escalate: classification.escalate,
    escalation_reason: classification.escalation_reason,
    actions,
  };
}

function team({
  analysis,
  actions,
  plan,
}: {
  analysis: ConsolidatedAnalysis;
  actions: readonly ReportAction[] | null;
  plan: Availability;
}): RcaReport['d1_team'] {
  const classification = analysis.classification;
  if (classification && !classification.defect_detected) {
    return {
      availability: { state: 'not_applicable', note: 'No defect was detected: no 8D team is needed.' },
      members: [],
    };
  }
  const members: Array<{ role: string; responsibilities: string[] }> = [];
  const member = (role: string) => {
    const found = members.find((entry) => entry.role.toLowerCase() === role.toLowerCase());
    if (found) return found;
    const created = { role, responsibilities: [] as string[] };
    members.push(created);
    return created;
  };
  const critical = classification?.severity === 'critical';
  if (critical || !classification || (actions ?? []).length === 0) {
    member('Quality engineer').responsibilities.push('Team lead: owns the 8D record and its closure');
  }
  if (critical) {
    member('MRB (Material Review Board)').responsibilities.push(
      'Disposition of the quarantined stock and release of the stopped line',
    );
  } else if (classification?.escalate || !classification) {
    member('MRB / supervisor').responsibilities.push(
      `Human review of the classification${classification?.escalation_reason ? `: ${classification.escalation_reason}` : ''}`,
    );
  }
  for (const action of actions ?? []) {
    member(action.owner_role).responsibilities.push(`${action.ref} ${action.type}`);
  }
  return {
    availability:
      plan.state === 'available'
        ? { state: 'available', note: null }
        : { state: 'partial', note: `Roles from severity only. ${plan.note ?? ''}`.trim() },
    members,
  };
}

function problemStatement({
  analysis,
  classificationGap,
  rootCause,
  measurements,
}: {
  analysis: ConsolidatedAnalysis;
  classificationGap: Availability;
  rootCause: RootCauseAnalysis | null;
  measurements: readonly ReportMeasurement[];
}): RcaReport['d2_problem_statement'] {
  const { report, classification } = analysis;
  const dataMatching = (pattern: RegExp) =>
    Object.entries(report.production_data ?? {})
      .filter(([key]) => pattern.test(key))
      .map(([key, value]) => `${humanize(key)} ${String(value)}`);
  const product = report.product_sku
    ? `${report.product_sku} (${PRODUCT_LABELS[report.product_sku]})`
    : 'the inspected product';
  const detected = classification?.defect_detected ?? null;
  const defectLabel = classification && detected ? humanize(classification.defect_type) : null;

  const what =
    classification === null
      ? `Not classified. ${classificationGap.note ?? ''} Inspector's description: ${report.description ?? 'none (image only)'}`.trim()
      : detected
        ? `${defectLabel}${classification.affected_area ? ` on the ${classification.affected_area}` : ''} of ${product}`
        : `No defect detected on ${product}`;

  const where = [
    report.facility ? `Facility ${report.facility}` : 'Facility not stated',
    ...dataMatching(PLACE_KEY),
    rootCause
      ? `probable origin stage ${stageName(rootCause.probable_stage)} (${formatPercent(rootCause.stage_confidence)} confidence)`
      : null,
    classification?.affected_area ? `area on the part: ${classification.affected_area}` : null,
  ]
    .filter((item): item is string => item !== null)
    .join('; ');

  const when = [
    `Reported ${formatDateTime(analysis.created_at)}`,
    report.shift ? `shift ${report.shift}` : null,
    report.batch_id ? `batch ${report.batch_id}` : null,
    ...dataMatching(TIME_KEY),
  ]
    .filter((item): item is string => item !== null)
    .join('; ');

  const who = [
    `${detected === false ? 'Checked' : 'Found'} at inspection${report.shift ? ` on shift ${report.shift}` : ''}`,
    ...dataMatching(PERSON_KEY),
    classification?.escalate
      ? `escalated to the MRB / supervisor${classification.escalation_reason ? ` (${classification.escalation_reason})` : ''}`
      : null,
  ]
    .filter((item): item is string => item !== null)
    .join('; ');

  const outOfSpec = measurements.filter((measurement) => measurement.within_spec === false);
  const why = !classification
    ? `Severity unknown until classified. ${joinOr({
        items: outOfSpec.map((measurement) => `${measurementText(measurement)} outside ${measurement.spec}`),
        fallback: 'No measurement outside the plant standards was reported.',
      })}`
    : !detected
      ? 'No defect: nothing to contain or correct; the inspection record is kept.'
      : [
          `Severity ${SEVERITY_MEANING[classification.severity]}`,
          `disposition ${classification.recommended_action}`,
          ...outOfSpec.map((measurement) => `${measurementText(measurement)} outside ${measurement.spec}`),
        ].join('; ');

  const how = joinOr({
    items: [
      ...(classification?.evidence ?? []),
      ...(classification === null && report.description ? [report.description] : []),
      ...(report.image ? ['image attached to the report'] : []),
      ...measurements.map(measurementText),
    ],
    fallback: 'No observation recorded.',
  });

  const counts = [
    ...dataMatching(COUNT_KEY),
    ...measurements.filter((measurement) => COUNT_KEY.test(measurement.name)).map(measurementText),
    ...readReportFacts(report).counts.map((count) => `${count.text} (from the report text)`),
  ];
  const how_many = joinOr({
    items: counts,
    fallback:
      detected === false
        ? 'Not stated in the report.'
        : 'Not stated in the report; count the suspect lot during containment.',
  });

  const is: string[] = [];
  const isNot: string[] = [];
  if (classification) {
    is.push(
      detected
        ? `Defect: ${defectLabel} (${classification.defect_type}), ${classification.severity}, ${formatPercent(classification.confidence)} confidence`
        : 'No defect detected',
    );
  }
  if (report.product_sku) is.push(`Product: ${product}`);
  if (report.facility) is.push(`Facility: ${report.facility}`);
  if (report.batch_id) is.push(`Batch: ${report.batch_id}`);
  if (report.shift) is.push(`Shift: ${report.shift}`);
  if (classification?.affected_area) is.push(`Location on the part: ${classification.affected_area}`);
  if (rootCause) is.push(`Origin stage: ${stageName(rootCause.probable_stage)}`);
  for (const measurement of outOfSpec)
    is.push(`${measurementText(measurement)}, outside ${measurement.spec}`);
  for (const measurement of measurements.filter((entry) => entry.within_spec === true)) {
    isNot.push(`Not out of spec: ${measurementText(measurement)} is within ${measurement.spec}`);
  }
  for (const category of CATEGORIES_6M) {
    for (const cause of rootCause?.ishikawa[category] ?? []) {
      if (cause.status === 'supported') is.push(`Supported cause (${category}): ${cause.cause}`);
      if (cause.status === 'ruled_out') isNot.push(`Ruled out (${category}): ${cause.cause}`);
    }
  }
  if (isNot.length === 0 && detected !== false) {
    isNot.push('No is-not evidence recorded: check sister lots, other lines, SKUs and facilities.');
  }

  const statement =
    classification === null
      ? `Unclassified report on ${product}${report.facility ? ` at ${report.facility}` : ''}: ${report.description ?? 'image only'}`
      : detected
        ? `${defectLabel} (${classification.severity}) found at inspection on ${product}${report.facility ? ` at ${report.facility}` : ''}${report.batch_id ? `, batch ${report.batch_id}` : ''}${rootCause ? `, probably made at ${stageName(rootCause.probable_stage)}` : ''}.`
        : `No defect detected on ${product}${report.batch_id ? `, batch ${report.batch_id}` : ''}.`;

  let availability: Availability = { state: 'available', note: null };
  if (classification === null) availability = { state: 'partial', note: classificationGap.note };
  else if (detected && rootCause === null) {
    availability = {
      state: 'partial',
      note: `Origin stage unknown. ${agentGap({ analysis, agent: 'root_cause' }).note ?? ''}`.trim(),
    };
  }
  return { availability, statement, what, where, when, who, why, how, how_many, is, is_not: isNot };
}

function standardisation({
  analysis,
  rootCause,
  actions,
  citations,
}: {
  analysis: ConsolidatedAnalysis;
  rootCause: RootCauseAnalysis | null;
  actions: readonly ReportAction[];
  citations: readonly ReportCitation[];
}): RcaReport['d7_prevention']['standardisation'] {
  const stage = rootCause ? stageName(rootCause.probable_stage) : null;
  const defect = analysis.classification
    ? humanize(analysis.classification.defect_type).toLowerCase()
    : 'defect';
  const sopIds = unique(
    citations.filter((citation) => citation.doc_type === 'sop').map((citation) => citation.source_id),
  );
  const coveredBy = (pattern: RegExp) =>
    actions.filter((action) => pattern.test(action.description)).map((action) => action.ref);
  const cause = rootCause?.root_cause;
  return [
    {
      document: 'sop',
      update: `Revise ${stage ? `the ${stage} SOP` : 'the SOP of the origin stage'}${sopIds.length > 0 ? ` (${sopIds.join(', ')})` : ''}: process window, checks and reaction plan${cause ? `, so that the systemic cause cannot recur (${clause(cause.systemic)})` : ''}.`,
      covered_by: coveredBy(/\bSOPs?\b|standard operating procedure/i),
    },
    {
      document: 'pfmea',
      update: `Update the PFMEA for ${defect} at ${stage ?? 'the origin stage'}: re-rate occurrence${cause ? ` (cause: ${clause(cause.occurrence)})` : ''} and detection${cause ? ` (escape: ${clause(cause.escape)})` : ''}.`,
      covered_by: coveredBy(/PFMEA|FMEA/i),
    },
    {
      document: 'control_plan',
      update: `Add the check that closes the escape${cause ? ` (${clause(cause.escape)})` : ''} to the control plan, with its frequency, sample size and reaction plan.`,
      covered_by: coveredBy(/control[- ]plan/i),
    },
  ];
}

function citationPlaces({
  analysis,
  actions,
}: {
  analysis: ConsolidatedAnalysis;
  actions: readonly ReportAction[];
}): Array<{ id: string; place: string }> {
  const places: Array<{ id: string; place: string }> = [];
  for (const id of analysis.classification?.citations ?? []) places.push({ id, place: 'classification' });
  const rootCause = analysis.root_cause;
  if (rootCause) {
    for (const why of rootCause.five_why_chain) {
      for (const id of why.citations) places.push({ id, place: `why ${why.step}${why.branch ?? ''}` });
    }
    for (const category of CATEGORIES_6M) {
      for (const cause of rootCause.ishikawa[category]) {
        for (const id of cause.citations) places.push({ id, place: `fishbone ${category}` });
      }
    }
    for (const id of rootCause.root_cause.citations) places.push({ id, place: 'root cause' });
  }
  for (const action of actions) for (const id of action.citations) places.push({ id, place: action.ref });
  return places;
}

/** Whether a cited id names a citation: its chunk id, or its whole source document. */
export function citesPassage({ id, citation }: { id: string; citation: ReportCitation }): boolean {
  return id === citation.chunk_id || id === citation.source_id;
}

/**
 * Builds the full RCA report of a stored analysis in 8D shape. Pure: the same analysis, review,
 * events and `generatedAt` always give the same report. Partial, failed and no-defect analyses
 * yield every section, each saying in its `availability` what is missing and why.
 *
 * Wherever the report states the type, severity, disposition, stage, 6M category or causes it
 * states the reviewed values (`review.corrected_fields` names the ones a person changed), and
 * its actions are the review's tracked actions with their status. Without a `review` the report
 * is built from the unconfirmed machine draft ({@link draftReview}); without `events` it has no
 * audit trail.
 */
export function buildRcaReport({
  analysis: machineAnalysis,
  generatedAt,
  review = draftReview(machineAnalysis, 1),
  events,
}: {
  analysis: ConsolidatedAnalysis;
  generatedAt: Date;
  review?: Review;
  events?: readonly ReviewEvent[];
}): RcaReport {
  const reviewed = reviewedView({ analysis: machineAnalysis, review });
  const analysis = reviewed.analysis;
  const unreviewed = review.state === 'draft';
  const { report, classification } = analysis;
  const rootCause = analysis.root_cause;
  const classificationGap: Availability = classification
    ? { state: 'available', note: null }
    : agentGap({ analysis, agent: 'classifier' });
  const rootCauseGap: Availability = rootCause
    ? { state: 'available', note: null }
    : agentGap({ analysis, agent: 'root_cause' });
  const actions = reviewed.actions ? toReportActions(reviewed.actions) : null;
  const plan = planAvailability({ analysis, actions });
  const allActions = actions ?? [];

  const measurements = Object.entries(report.measurements ?? {})
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
    .map(([name, value]) => describeMeasurement({ name, value }));

  const places = citationPlaces({ analysis, actions: allActions });
  const citations: ReportCitation[] = analysis.citations.map((citation, index) => ({
    number: index + 1,
    chunk_id: citation.chunk_id,
    source_id: citation.source_id,
    doc_type: citation.doc_type,
    title: citation.title,
    section: citation.section ?? null,
    excerpt: citation.excerpt,
    score: citation.score ?? null,
    cited_by: [],
  }));
  for (const citation of citations) {
    citation.cited_by = unique(
      places.filter(({ id }) => citesPassage({ id, citation })).map(({ place }) => place),
    );
  }
  const unresolved = unique(
    places.map(({ id }) => id).filter((id) => !citations.some((citation) => citesPassage({ id, citation }))),
  );

  const defectLabel =
    classification && classification.defect_detected ? humanize(classification.defect_type) : null;
  const noDefect = classification !== null && !classification.defect_detected;

  const notes = unique(
    [
      classificationGap.note,
      classification?.defect_detected ? rootCauseGap.note : null,
      classification?.defect_detected ? plan.note : null,
      noDefect ? 'No defect was detected: root-cause analysis and actions are not needed.' : null,
    ].filter((note): note is string => note !== null),
  );

  const d3 = actionsOfType({ plan, actions, types: ['containment', 'correction'] });
  const d5 = actionsOfType({ plan, actions, types: ['corrective'] });
  const d7 = actionsOfType({ plan, actions, types: ['preventive'] });
  const verifyDates = allActions.map((action) => action.verify_by).sort();
  const lastVerify = verifyDates.at(-1) ?? null;

  const effect = classification
    ? classification.defect_detected
      ? `${defectLabel} (${classification.severity})${classification.affected_area ? ` on the ${classification.affected_area}` : ''}${report.product_sku ? `, ${report.product_sku}` : ''}`
      : 'No defect detected'
    : 'Unclassified defect report';

  const unverifiedSteps = rootCause
    ? rootCause.five_why_chain.filter((why) => !why.verified).map((why) => why.step)
    : [];
  const hypothesisSteps = rootCause
    ? rootCause.five_why_chain.filter((why) => why.hypothesis).map((why) => why.step)
    : [];

  const closed = review.state === 'closed';
  const closureCriteria: RcaReport['d8_closure']['criteria'] = [];
  if (!noDefect) {
    for (const note of notes) {
      closureCriteria.push({
        criterion: `Complete the missing analysis. ${note}`,
        due: null,
        action_ref: null,
        met: false,
      });
    }
    closureCriteria.push({
      criterion: 'A person confirms or corrects the machine analysis (review)',
      due: null,
      action_ref: null,
      met: isConfirmedReviewState(review.state),
    });
    for (const action of allActions) {
      const check = action.effectiveness_check;
      closureCriteria.push({
        criterion: `${action.ref} (${action.type}) effective: ${check.metric}, ${check.threshold}, within ${formatDays(check.window_days)} of ${action.due_date}`,
        due: action.verify_by,
        action_ref: action.ref,
        met: action.status === 'verified',
      });
    }
    if (unverifiedSteps.length > 0) {
      closureCriteria.push({
        criterion: `Verify the unverified whys (steps ${unique(unverifiedSteps.map(String)).join(', ')}) with data`,
        due: null,
        action_ref: null,
        met: false,
      });
    }
    if (hypothesisSteps.length > 0 || unresolved.length > 0) {
      closureCriteria.push({
        criterion: 'Support or drop the hypotheses (whys and actions without a resolved passage)',
        due: null,
        action_ref: null,
        met: false,
      });
    }
    closureCriteria.push(
      {
        criterion: 'SOP, PFMEA and control plan updates (D7) released',
        due:
          d7.actions
            .map((action) => action.due_date)
            .sort()
            .at(-1) ?? null,
        action_ref: null,
        met: d7.actions.length > 0 && d7.actions.every((action) => action.status === 'verified'),
      },
      {
        criterion: 'Team (D1) signs off; lessons learned recorded in the knowledge base',
        due: lastVerify,
        action_ref: null,
        met: closed,
      },
    );
  }

  const similarIds = rootCause?.similar_defects ?? [];

  return {
    schema_version: REPORT_SCHEMA_VERSION,
    title: `RCA report ${analysis.defect_id}${defectLabel ? `: ${defectLabel}` : noDefect ? ': no defect detected' : ''}`,
    defect_id: analysis.defect_id,
    generated_at: generatedAt.toISOString(),
    review: reportReview({ analysis: machineAnalysis, review, events: events ?? [] }),
    subject: {
      product_sku: report.product_sku ?? null,
      product_label: report.product_sku ? PRODUCT_LABELS[report.product_sku] : null,
      facility: report.facility ?? null,
      batch_id: report.batch_id ?? null,
      shift: report.shift ?? null,
    },
    analysis: {
      status: analysis.status,
      created_at: analysis.created_at,
      completed_at: analysis.completed_at,
      failure: analysis.failure ? { ...analysis.failure } : null,
      agents: AgentName.options.map((agent) => {
        const run = analysis.agents[agent];
        return {
          agent,
          label: AGENT_LABELS[agent],
          status: run?.status ?? 'pending',
          error: run?.error ? { ...run.error } : null,
        };
      }),
      notes,
    },
    classification: {
      availability: classificationGap,
      result: classification,
      defect_label: defectLabel,
      needs_human_review:
        unreviewed &&
        (classification
          ? classification.escalate ||
            classification.confidence < 0.5 ||
            classification.defect_type === 'unknown'
          : true),
    },
    d0_emergency_response: emergencyResponse({ analysis, classificationGap, rootCause }),
    d1_team: team({ analysis, actions, plan }),
    d2_problem_statement: problemStatement({ analysis, classificationGap, rootCause, measurements }),
    d3_containment: {
      availability: d3.availability,
      disposition: classification?.recommended_action ?? null,
      actions: d3.actions,
    },
    d4_root_causes: {
      availability: noDefect
        ? { state: 'not_applicable', note: 'No defect was detected: there is no root cause to find.' }
        : rootCauseGap,
      effect,
      probable_stage: rootCause?.probable_stage ?? null,
      probable_stage_label: rootCause ? stageLabel(rootCause.probable_stage) : null,
      stage_confidence: rootCause?.stage_confidence ?? null,
      stage_needs_review: unreviewed && rootCause ? rootCause.stage_confidence < 0.5 : false,
      root_cause: rootCause?.root_cause ?? null,
      five_why_chain: rootCause?.five_why_chain ?? [],
      unverified_steps: unverifiedSteps,
      hypothesis_steps: hypothesisSteps,
      fishbone: rootCause?.ishikawa ?? null,
    },
    d5_corrective_actions: d5,
    d6_implementation_and_validation: {
      availability: plan,
      steps: allActions.map((action) => ({
        action_ref: action.ref,
        type: action.type,
        description: action.description,
        owner_role: action.owner_role,
        due_date: action.due_date,
        effectiveness_check: { ...action.effectiveness_check },
        verify_by: action.verify_by,
        origin: action.origin,
        status: action.status,
        status_changed_at: action.status_changed_at,
        status_changed_by: action.status_changed_by,
        started_at: action.started_at,
        done_at: action.done_at,
        verified_at: action.verified_at,
        effectiveness_evidence: action.effectiveness_evidence,
      })),
      validated_by: lastVerify,
    },
    d7_prevention: {
      availability: d7.availability,
      actions: d7.actions,
      standardisation: noDefect
        ? []
        : standardisation({ analysis, rootCause, actions: allActions, citations }),
      horizontal_deployment: noDefect
        ? null
        : {
            scope: `Same cause on the other ${rootCause ? stageName(rootCause.probable_stage) : 'origin-stage'} lines and equipment, other SKUs and other facilities`,
            other_facilities: Facility.options.filter((facility) => facility !== report.facility),
            other_skus: ProductSku.options.filter((sku) => sku !== report.product_sku),
            covered_by: d7.actions.map((action) => action.ref),
          },
    },
    d8_closure: {
      availability: noDefect
        ? { state: 'not_applicable', note: 'No defect was detected: no CAPA is opened, nothing to close.' }
        : plan.state === 'available'
          ? { state: 'available', note: null }
          : { state: 'partial', note: plan.note },
      status: noDefect ? 'not_required' : closed ? 'closed' : 'open',
      criteria: closureCriteria,
      earliest_closure: noDefect ? null : lastVerify,
    },
    evidence: {
      description: report.description ?? null,
      observations: [...(classification?.evidence ?? [])],
      measurements,
      production_data: Object.entries(report.production_data ?? {}).map(([key, value]) => ({
        key,
        value: String(value),
      })),
      why_evidence: (rootCause?.five_why_chain ?? []).flatMap((why) =>
        why.evidence.map((evidence) => ({
          step: why.step,
          kind: evidence.kind,
          detail: evidence.detail,
          source_id: evidence.source_id ?? null,
        })),
      ),
      image_attached: report.image !== undefined,
      image: report.image
        ? {
            media_type: report.image.media_type,
            url: `/api/v1/analyses/${analysis.defect_id}/image`,
          }
        : null,
    },
    similar_past_defects: {
      availability: noDefect
        ? { state: 'not_applicable', note: 'No defect was detected.' }
        : rootCause === null
          ? rootCauseGap
          : similarIds.length === 0
            ? { state: 'available', note: 'The root-cause analyst found no similar past defect.' }
            : { state: 'available', note: null },
      defects: similarIds.map((id) => {
        const passages = citations.filter((citation) => citation.source_id === id);
        return {
          defect_id: id,
          title: passages[0]?.title ?? null,
          passages: passages.map((passage) => ({
            chunk_id: passage.chunk_id,
            section: passage.section,
            excerpt: passage.excerpt,
          })),
        };
      }),
    },
    effectiveness_check_plan: {
      availability: noDefect ? { state: 'not_applicable', note: 'No defect was detected.' } : plan,
      checks: allActions
        .map((action) => ({
          action_ref: action.ref,
          type: action.type,
          owner_role: action.owner_role,
          metric: action.effectiveness_check.metric,
          threshold: action.effectiveness_check.threshold,
          window_days: action.effectiveness_check.window_days,
          starts_on: action.due_date,
          verify_by: action.verify_by,
          status: action.status,
          effectiveness_evidence: action.effectiveness_evidence,
        }))
        .sort((left, right) =>
          left.verify_by === right.verify_by
            ? Number(left.action_ref.slice(1)) - Number(right.action_ref.slice(1))
            : left.verify_by < right.verify_by
              ? -1
              : 1,
        ),
    },
    citations,
    unresolved_citation_ids: unresolved,
    audit_trail: auditTrail({ review, events }),
  };
}

/** Reference numbers of the report's citations, keyed by chunk id and by source id (first wins). */
export function citationNumbers(report: RcaReport): Map<string, number> {
  const numbers = new Map<string, number>();
  for (const citation of report.citations) {
    if (!numbers.has(citation.chunk_id)) numbers.set(citation.chunk_id, citation.number);
  }
  for (const citation of report.citations) {
    if (!numbers.has(citation.source_id)) numbers.set(citation.source_id, citation.number);
  }
  return numbers;
}

/** The nine 8D sections of the report, in order, with their keys and headings. */
export const EIGHT_D_SECTIONS = [
  { key: 'd0_emergency_response', code: 'D0', title: 'Emergency response' },
  { key: 'd1_team', code: 'D1', title: 'Team' },
  { key: 'd2_problem_statement', code: 'D2', title: 'Problem statement' },
  { key: 'd3_containment', code: 'D3', title: 'Containment' },
  { key: 'd4_root_causes', code: 'D4', title: 'Root causes' },
  { key: 'd5_corrective_actions', code: 'D5', title: 'Corrective actions' },
  { key: 'd6_implementation_and_validation', code: 'D6', title: 'Implementation and validation' },
  { key: 'd7_prevention', code: 'D7', title: 'Prevention' },
  { key: 'd8_closure', code: 'D8', title: 'Closure' },
] as const satisfies ReadonlyArray<{ key: keyof RcaReport; code: string; title: string }>;

/** Human words for the D0 emergency levels. */
export const EMERGENCY_LEVEL_LABELS: Record<EmergencyLevel, string> = {
  line_stop: 'Stop the line',
  hold: 'Hold the lot',
  segregate: 'Segregate the affected parts',
  log_only: 'Log only',
  none: 'None needed',
  undetermined: 'Undetermined: hold until classified',
};
