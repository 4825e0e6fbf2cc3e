import { z } from 'zod';
import {
  ActionType,
  AnalysisStatus,
  Category6M,
  ClassifiedType,
  ConcreteDefectType,
  DefectId,
  Disposition,
  DocType,
  ProductionStage,
  Severity,
} from './vocabulary.ts';
import { InspectionReport } from './inspection-report.ts';

/** Ids of the knowledge-base passages a claim rests on. */
export const CitationIds = z.array(z.string().min(1)).default([]);

/** A knowledge-base passage cited by the analysis. */
export const Citation = z.object({
  source_id: z
    .string()
    .min(1)
    .describe('Knowledge-base document id, e.g. DEF-20240314-3FA2B91C or SOP-VQ-01'),
  chunk_id: z.string().min(1).describe('The cited passage: document id plus section'),
  doc_type: DocType,
  title: z.string(),
  section: z.string().optional(),
  excerpt: z.string().describe('The passage text the claim rests on'),
  score: z.number().optional(),
});
export type Citation = z.infer<typeof Citation>;

/** Normalised bounding box of the defect on the image (0..1 of width and height). */
export const BoundingBox = z.object({
  x: z.number().min(0).max(1),
  y: z.number().min(0).max(1),
  width: z.number().min(0).max(1),
  height: z.number().min(0).max(1),
});

/** The classifier's answer: what is it? */
export const Classification = z.object({
  defect_detected: z.boolean(),
  defect_type: ClassifiedType,
  secondary_types: z
    .array(ConcreteDefectType)
    .default([])
    .describe('Further defect types the report also describes; the primary type is the worse one'),
  severity: Severity,
  confidence: z.number().min(0).max(1),
  recommended_action: Disposition,
  escalate: z.boolean(),
  escalation_reason: z.string().nullable().default(null),
  affected_area: z.string().nullable().default(null),
  bounding_box: BoundingBox.nullable().default(null),
  evidence: z.array(z.string()).default([]).describe('The observations the classification rests on'),
  citations: CitationIds,
});
export type Classification = z.infer<typeof Classification>;

/** One piece of evidence behind a why. */
export const Evidence = z.object({
  kind: z.enum(['measurement', 'passage', 'history', 'report']),
  detail: z.string().min(1),
  source_id: z.string().optional(),
});
export type Evidence = z.infer<typeof Evidence>;

/** One step of the 5-why chain. */
export const WhyStep = z.object({
  step: z.number().int().min(1).max(10),
  branch: z.string().optional().describe('Set when a why has two evidenced answers'),
  question: z.string().min(1),
  answer: z.string().min(1),
  evidence: z.array(Evidence).default([]),
  verified: z.boolean(),
  hypothesis: z.boolean().describe('True when no passage or measurement supports the answer'),
  citations: CitationIds,
});
export type WhyStep = z.infer<typeof WhyStep>;

/** A candidate cause on one fishbone branch. */
export const FishboneCause = z.object({
  cause: z.string().min(1),
  status: z.enum(['supported', 'ruled_out', 'untested']),
  evidence: z.string().optional(),
  citations: CitationIds,
});
export type FishboneCause = z.infer<typeof FishboneCause>;

/** The 6M fishbone: every branch gets candidate causes. */
export const Ishikawa = z.object({
  man: z.array(FishboneCause),
  machine: z.array(FishboneCause),
  method: z.array(FishboneCause),
  material: z.array(FishboneCause),
  measurement: z.array(FishboneCause),
  environment: z.array(FishboneCause),
});
export type Ishikawa = z.infer<typeof Ishikawa>;

/** The three causes of every analysis. */
export const RootCauseStatement = z.object({
  occurrence: z.string().min(1).describe('Why the defect was made'),
  escape: z.string().min(1).describe('Why inspection did not catch it'),
  systemic: z.string().min(1).describe('Why the system allowed both'),
  category_6m: Category6M,
  citations: CitationIds,
});
export type RootCauseStatement = z.infer<typeof RootCauseStatement>;

/** The root-cause analyst's answer: why did it happen? */
export const RootCauseAnalysis = z.object({
  probable_stage: ProductionStage,
  stage_confidence: z.number().min(0).max(1),
  five_why_chain: z.array(WhyStep).min(1),
  ishikawa: Ishikawa,
  root_cause: RootCauseStatement,
  similar_defects: z.array(z.string()).default([]).describe('Ids of similar past defect records'),
});
export type RootCauseAnalysis = z.infer<typeof RootCauseAnalysis>;

/** How the effect of an action is checked. */
export const EffectivenessCheck = z.object({
  metric: z.string().min(1),
  threshold: z.string().min(1),
  window_days: z.number().int().min(1).max(365),
});
export type EffectivenessCheck = z.infer<typeof EffectivenessCheck>;

/** One CAPA action. */
export const CorrectiveAction = z.object({
  type: ActionType,
  description: z.string().min(1),
  owner_role: z.string().min(1),
  due_date: z.iso.date(),
  effectiveness_check: EffectivenessCheck,
  citations: CitationIds,
});
export type CorrectiveAction = z.infer<typeof CorrectiveAction>;

/** The corrective-action planner's answer: what do we do? */
export const ActionPlan = z.object({
  corrective_actions: z.array(CorrectiveAction).min(1),
});
export type ActionPlan = z.infer<typeof ActionPlan>;

/**
 * Token usage of model calls. With prompt caching, `input_tokens` counts only the input neither
 * read from nor written to the cache, and the cache counts are given.
 */
export const Usage = z.object({
  input_tokens: z.number().int().min(0),
  output_tokens: z.number().int().min(0),
  total_tokens: z.number().int().min(0),
  cache_read_input_tokens: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('Input tokens read from the prompt cache (billed at about a tenth of input)'),
  cache_write_input_tokens: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('Input tokens written to the prompt cache (billed at about 1.25 times input)'),
});
export type Usage = z.infer<typeof Usage>;

/** The three specialist agents of a consolidated analysis. */
export const AgentName = z.enum(['classifier', 'root_cause', 'corrective_action']);
export type AgentName = z.infer<typeof AgentName>;

/** What one agent did in an analysis. */
export const AgentRun = z.object({
  status: z.enum(['pending', 'complete', 'failed', 'skipped']),
  duration_ms: z.number().min(0).nullable().default(null),
  usage: Usage.nullable().default(null),
  error: z.object({ code: z.string(), message: z.string() }).nullable().default(null),
});
export type AgentRun = z.infer<typeof AgentRun>;

/** The consolidated analysis of one inspection report, as stored and returned. */
export const ConsolidatedAnalysis = z.object({
  defect_id: DefectId,
  status: AnalysisStatus,
  created_at: z.iso.datetime(),
  completed_at: z.iso.datetime().nullable().default(null),
  report: InspectionReport,
  classification: Classification.nullable().default(null),
  root_cause: RootCauseAnalysis.nullable().default(null),
  corrective_actions: z.array(CorrectiveAction).nullable().default(null),
  citations: z.array(Citation).default([]),
  agents: z.record(AgentName, AgentRun),
  usage: Usage,
  timings: z.object({ total_ms: z.number().min(0).nullable() }).catchall(z.number().min(0).nullable()),
  failure: z
    .object({ step: AgentName, code: z.string(), message: z.string() })
    .nullable()
    .default(null)
    .describe('Set on a partial or failed analysis: which step failed and why'),
});
export type ConsolidatedAnalysis = z.infer<typeof ConsolidatedAnalysis>;

/** A specialist's answer to a follow-up question about an analysis. */
export const FollowUpAnswer = z.object({
  answer: z.string().min(1),
  citations: CitationIds,
});
export type FollowUpAnswer = z.infer<typeof FollowUpAnswer>;

/** The supervisor's consolidated output on Bedrock multi-agent collaboration. */
export const SupervisorOutput = z.object({
  classification: Classification,
  root_cause: RootCauseAnalysis.nullable(),
  corrective_actions: z.array(CorrectiveAction).nullable(),
});
export type SupervisorOutput = z.infer<typeof SupervisorOutput>;
