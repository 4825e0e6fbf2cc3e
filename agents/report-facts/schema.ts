import { z } from 'zod';
import { Category6M, ConcreteDefectType, ProductionStage } from '../../domain/index.ts';

/** The product families of the catalogue. */
export const ProductFamily = z.enum(['knife', 'scissors', 'cast_iron_pan', 'wok']);
export type ProductFamily = z.infer<typeof ProductFamily>;

/** A glossary term found in the report, with whether a negation covers it. */
export const TermHit = z.object({
  code: z.string(),
  term: z.string(),
  negated: z.boolean(),
  clause: z.number().int().min(0),
  /** For a stage: the report names it as where the defect was found ("seen at final check after sharpening"), not where it was made. */
  where_found: z.boolean().optional(),
  /** For a stage: the report says the defect happened while that step ran ("during", "when", 的时候). */
  during: z.boolean().optional(),
  /** For a stage: the report says the defect was made there ("made at", "caused at", 在…工序形成). */
  made_here: z.boolean().optional(),
  /** An earlier reading the report corrects ("logged as haze, but…"); counted as not found. */
  superseded: z.boolean().optional(),
  /**
   * A defect word naming an earlier problem this inspection re-checks ("the previous scratch
   * issue", 上次的划痕问题), in a clause that does not say it came back.
   */
  earlier_problem: z.boolean().optional(),
});
export type TermHit = z.infer<typeof TermHit>;

/** A measurement written in the text or given as a field, normalised to one unit per quantity. */
export const MeasuredValue = z.object({
  name: z.string(),
  value: z.number(),
  unit: z.string(),
  source: z.enum(['field', 'text']),
  text: z.string(),
});
export type MeasuredValue = z.infer<typeof MeasuredValue>;

/** A measurement compared with the plant's standards. */
export const StandardCheck = z.object({
  name: z.string(),
  value: z.number(),
  limit: z.string(),
  status: z.enum(['within', 'below', 'above']),
  suggests_defect_types: z.array(ConcreteDefectType),
  suggests_stages: z.array(ProductionStage),
});
export type StandardCheck = z.infer<typeof StandardCheck>;

/** A cause or condition the report states ("due to", "after the change of", a reading of the shop's conditions). */
export const StatedCause = z.object({
  text: z.string(),
  category_6m: Category6M.nullable(),
  /** True when the report only suspects it ("possibly", 怀疑). */
  hypothesis: z.boolean(),
  stages: z.array(ProductionStage),
  /**
   * True for a process setting read against its standard ("belt speed 900 m/min (WI 1,200 m/min)"):
   * it says what went out of its window, not why, so a failure the report also names ranks above it.
   */
  off_window_setting: z.boolean().optional(),
  /**
   * True for a reading of the equipment outside the window written right after it ("夹具间隙 0.9 mm
   * (≤0.2)"): the equipment out of its own limit, a failure as plain as a word for one.
   */
  outside_its_limit: z.boolean().optional(),
  /** True for a tool or part used past its service interval, change limit or life: a failure, worn. */
  past_its_life: z.boolean().optional(),
  /** True when the report gives it as its conclusion ("结论：", "根本原因：", "Root cause:"). */
  concluded: z.boolean().optional(),
});
export type StatedCause = z.infer<typeof StatedCause>;

/** The quantity of the problem: how many parts were affected out of how many. */
export const DefectCount = z.object({
  affected: z.number().int().min(0).nullable(),
  inspected: z.number().int().min(0).nullable(),
  rate_percent: z.number().min(0).nullable(),
  aql: z.number().min(0).nullable(),
  text: z.string(),
});
export type DefectCount = z.infer<typeof DefectCount>;

/** The look-alike tests a report describes, each passed (true), failed (false) or not done (absent). */
export const LookAlikeTests = z.object({
  /** The marks come off with a wipe or solvent (surface contamination, not rust). */
  wipes_off: z.boolean().optional(),
  /** Pits under the marks (corrosion). */
  pitting: z.boolean().optional(),
  /** The marks have depth that a fingernail or a finger can feel (a scratch rather than a polish haze). */
  has_depth: z.boolean().optional(),
  /** Circular, arc or swirl pattern, haze (polish, not scratches). */
  circular: z.boolean().optional(),
  /** The colour band or tint sits at the weld or bolster (weld heat tint, not heat treatment). */
  at_weld: z.boolean().optional(),
});
export type LookAlikeTests = z.infer<typeof LookAlikeTests>;

/** What a report says, read once in English, Chinese or mixed text, for every skill and agent. */
export const ReportFacts = z.object({
  language: z.enum(['en', 'zh', 'mixed', 'none']),
  product_family: ProductFamily.nullable(),
  /** Defect words by type (look-alikes are for the classifier to weigh). */
  defect_terms: z.array(TermHit),
  /** Words that describe a defect without telling its type (a crack, a tint). */
  ambiguous_terms: z.array(TermHit),
  stage_cues: z.array(TermHit),
  areas: z.array(z.string()),
  /** Explicit conformance statements ("all OK", "lot accepted", 合格), not negated. */
  conformance: z.array(z.string()),
  /** Explicit non-conformance statements ("NG", "rejected", 不合格), not negated. */
  nonconformance: z.array(z.string()),
  counts: z.array(DefectCount),
  measurements: z.array(MeasuredValue),
  standard_checks: z.array(StandardCheck),
  stated_causes: z.array(StatedCause),
  detection_point: z.string().nullable(),
  severity_cues: z.array(z.string()),
  look_alike_tests: LookAlikeTests,
  /** Sentences addressed to the system rather than describing a part; ignored for the analysis. */
  instructions: z.array(z.string()),
  /** The text without those sentences: what the analysis reads. */
  text: z.string(),
  /** Whether anything in the report points at a defect (a non-negated defect word, a failed check, a count of bad parts). */
  defect_evidence: z.boolean(),
  /**
   * Whether the only defect evidence is words naming an earlier problem that this inspection
   * re-checked: no count of bad parts, no failed check, no non-conformance, no other defect word.
   */
  rechecks_earlier_problem: z.boolean(),
  /**
   * The sampling plan the report quotes accepts the lot: it states the acceptance and rejection
   * numbers ("AQL 1.0, n=125, Ac=3 Re=4"), a lot decision of conformance, and no count of bad
   * parts above the acceptance number.
   */
  sample_accepted: z.boolean(),
  /**
   * The report leaves its own finding open: it says how many or how much is not known ("didn't
   * count", "不知道多少", "no measurement"), hedges the finding ("maybe", "看着", "好像"), and gives
   * no count, reading or failed check.
   */
  extent_unknown: z.boolean(),
  /** The nominal edge angle the report states with its reading ("30.5° (30±2)"), if any. */
  nominal_edge_angle_deg: z.number().nullable(),
  /** Words that place the text in the plant at all. */
  domain_words: z.number().int().min(0),
});
export type ReportFacts = z.infer<typeof ReportFacts>;
