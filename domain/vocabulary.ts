import { z } from 'zod';

/** The 12 concrete defect types of DOMAIN.md, in the order of its table. */
export const CONCRETE_DEFECT_TYPES = [
  'blade_scratch',
  'blade_chip',
  'edge_irregularity',
  'handle_crack',
  'handle_discoloration',
  'weld_defect',
  'polish_defect',
  'rust_spot',
  'dimensional_error',
  'assembly_misalignment',
  'surface_contamination',
  'heat_treatment_defect',
] as const;

/** A concrete defect type: one an inspector can see and a past record can confirm. */
export const ConcreteDefectType = z.enum(CONCRETE_DEFECT_TYPES);
export type ConcreteDefectType = z.infer<typeof ConcreteDefectType>;

/** Every defect type a classification may return: the concrete ones and `unknown`. */
export const DefectType = z.enum([...CONCRETE_DEFECT_TYPES, 'unknown']);
export type DefectType = z.infer<typeof DefectType>;

/** A classification's type: a defect type, or `none` when no defect was detected. */
export const ClassifiedType = z.enum([...CONCRETE_DEFECT_TYPES, 'unknown', 'none']);
export type ClassifiedType = z.infer<typeof ClassifiedType>;

/** Severity of a defect; `none` only when no defect was detected. */
export const Severity = z.enum(['critical', 'major', 'minor', 'cosmetic', 'none']);
export type Severity = z.infer<typeof Severity>;

/**
 * Disposition of the affected parts (`recommended_action`). `HOLD` quarantines the parts until a
 * person decides: for `unknown`, vague or low-confidence reports.
 */
export const Disposition = z.enum(['PASS', 'REWORK', 'SCRAP', 'HOLD']);
export type Disposition = z.infer<typeof Disposition>;

/** The 12 production stages, in production order. */
export const PRODUCTION_STAGES = [
  'blade_stamp',
  'bolster_welding',
  'back_edge_polishing',
  'taper_grinding',
  'heat_treatment',
  'vacuum_quench',
  'handle_injection',
  'rivet_assembly',
  'handle_polishing',
  'blade_glazing',
  'cutting_edge_honing',
  'logo_print',
] as const;

/** A production stage where a defect can originate. */
export const ProductionStage = z.enum(PRODUCTION_STAGES);
export type ProductionStage = z.infer<typeof ProductionStage>;

/** The two escape points, where a defect should have been caught. */
export const EscapePoint = z.enum(['inspection', 'packaging']);
export type EscapePoint = z.infer<typeof EscapePoint>;

/** A production stage or an escape point: what an SOP or a process step is about. */
export const ProcessStep = z.enum([...PRODUCTION_STAGES, 'inspection', 'packaging']);
export type ProcessStep = z.infer<typeof ProcessStep>;

/** The three facilities. */
export const Facility = z.enum(['yangjiang', 'shenzhen', 'hongkong']);
export type Facility = z.infer<typeof Facility>;

/** The product catalogue. */
export const ProductSku = z.enum([
  'WK-KN-200',
  'WK-KN-150',
  'WK-KN-100',
  'WK-SC-200',
  'WK-CI-200',
  'WK-CI-280',
]);
export type ProductSku = z.infer<typeof ProductSku>;

/** The 6M fishbone categories. */
export const Category6M = z.enum(['man', 'machine', 'method', 'material', 'measurement', 'environment']);
export type Category6M = z.infer<typeof Category6M>;

/** CAPA action types. */
export const ActionType = z.enum(['containment', 'correction', 'corrective', 'preventive']);
export type ActionType = z.infer<typeof ActionType>;

/** Status of an analysis as a whole. */
export const AnalysisStatus = z.enum(['pending', 'complete', 'partial', 'failed']);
export type AnalysisStatus = z.infer<typeof AnalysisStatus>;

/** Kinds of knowledge-base documents. */
export const DocType = z.enum(['past_defect', 'sop']);
export type DocType = z.infer<typeof DocType>;

/** Human-readable labels and facts of each production stage. */
export const STAGE_DETAILS: Record<ProductionStage, { order: number; label: string }> = {
  blade_stamp: { order: 1, label: 'Blade stamping/forging (4116/4034 stainless)' },
  bolster_welding: { order: 2, label: 'Bolster welding' },
  back_edge_polishing: { order: 3, label: 'Back-edge polishing' },
  taper_grinding: { order: 4, label: 'Taper grinding (V-grind)' },
  heat_treatment: { order: 5, label: 'Heat treatment (about 1000 °C)' },
  vacuum_quench: { order: 6, label: 'Vacuum quench (1000→600 °C in about 2 minutes)' },
  handle_injection: { order: 7, label: 'Handle injection moulding' },
  rivet_assembly: { order: 8, label: 'Rivet assembly' },
  handle_polishing: { order: 9, label: 'Handle polishing' },
  blade_glazing: { order: 10, label: 'Blade glazing (mirror/satin)' },
  cutting_edge_honing: { order: 11, label: 'Cutting-edge honing' },
  logo_print: { order: 12, label: 'Logo print' },
};

/** What an inspector sees, the usual origin stages and the severity rule of each concrete type. */
export const DEFECT_TYPE_DETAILS: Record<
  ConcreteDefectType,
  { sees: string; originStages: readonly ProductionStage[]; severityRule: string }
> = {
  blade_scratch: {
    sees: 'surface scratches on the blade body',
    originStages: ['blade_glazing', 'handle_polishing'],
    severityRule: 'major if > 5 mm, else minor',
  },
  blade_chip: {
    sees: 'material missing from the edge',
    originStages: ['blade_stamp', 'heat_treatment', 'cutting_edge_honing'],
    severityRule: 'critical (safety)',
  },
  edge_irregularity: {
    sees: 'wavy, uneven or serrated edge where a smooth one is expected',
    originStages: ['taper_grinding', 'cutting_edge_honing'],
    severityRule: 'major',
  },
  handle_crack: {
    sees: 'crack in the handle material',
    originStages: ['handle_injection'],
    severityRule: 'major if structural, minor if cosmetic',
  },
  handle_discoloration: {
    sees: 'colour inconsistency, staining, fading',
    originStages: ['handle_injection', 'handle_polishing'],
    severityRule: 'cosmetic if uniform, minor if patchy',
  },
  weld_defect: {
    sees: 'weld line gaps, porosity, discoloration at the bolster',
    originStages: ['bolster_welding'],
    severityRule: 'major',
  },
  polish_defect: {
    sees: 'uneven finish, swirl marks, orange peel',
    originStages: ['back_edge_polishing', 'blade_glazing'],
    severityRule: 'minor',
  },
  rust_spot: {
    sees: 'orange/brown oxidation',
    originStages: ['vacuum_quench'],
    severityRule: 'critical (process failure)',
  },
  dimensional_error: {
    sees: 'size/shape out of drawing tolerance',
    originStages: ['blade_stamp'],
    severityRule: 'major',
  },
  assembly_misalignment: {
    sees: 'handle-blade misalignment, uneven or proud rivets',
    originStages: ['rivet_assembly'],
    severityRule: 'major if > 2 mm, else minor',
  },
  surface_contamination: {
    sees: 'oil, residue, fingerprints, foreign material',
    originStages: ['logo_print'],
    severityRule: 'minor',
  },
  heat_treatment_defect: {
    sees: 'discoloration bands, soft spots, hardness out of spec, warping',
    originStages: ['heat_treatment', 'vacuum_quench'],
    severityRule: 'major',
  },
};

/** The plant's quality standards. */
export const QUALITY_STANDARDS = {
  hardnessHrc: { min: 54, max: 58 },
  sharpnessIcpMin: 50,
  edgeAngleToleranceDeg: 2,
  saltSprayHoursWithoutRust: 1000,
  defectRateTargetPercent: 0.18,
} as const;

/** The pattern of a defect record id: `DEF-YYYYMMDD-XXXXXXXX` (8 upper-case hex). */
export const DEFECT_ID_PATTERN = /^DEF-(\d{4})(\d{2})(\d{2})-[0-9A-F]{8}$/;

/** A defect record id, checked for its shape and for a real calendar date. */
export const DefectId = z
  .string()
  .regex(DEFECT_ID_PATTERN, 'must look like DEF-YYYYMMDD-XXXXXXXX (8 upper-case hex digits)')
  .refine((value) => {
    const match = DEFECT_ID_PATTERN.exec(value);
    if (!match) return false;
    const [, year, month, day] = match;
    const date = new Date(`${year}-${month}-${day}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === `${year}-${month}-${day}`;
  }, 'must contain a real calendar date');
export type DefectId = z.infer<typeof DefectId>;

/**
 * Builds a defect id from a date and 4 random bytes.
 * Randomness is injected so that ids are deterministic in tests.
 */
export function formatDefectId({ date, randomBytes }: { date: Date; randomBytes: Uint8Array }): DefectId {
  if (randomBytes.length < 4) throw new RangeError('formatDefectId needs at least 4 random bytes');
  const day = date.toISOString().slice(0, 10).replaceAll('-', '');
  const hex = Array.from(randomBytes.subarray(0, 4), (byte) => byte.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
  return `DEF-${day}-${hex}`;
}
