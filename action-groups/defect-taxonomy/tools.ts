import type { z } from 'zod';
import {
  CONCRETE_DEFECT_TYPES,
  DEFECT_TYPE_DETAILS,
  type DefectType,
  type Disposition,
  type Severity,
} from '../../domain/index.ts';
import { defineTool, type ActionGroup } from '../action-group.ts';
import {
  AssessSeverityInput,
  AssessSeverityOutput,
  GetDefectTaxonomyInput,
  GetDefectTaxonomyOutput,
  type SeverityCondition,
} from './schema.ts';

type TaxonomyEntry = z.input<typeof GetDefectTaxonomyOutput>['defect_types'][number];

/** The `unknown` type, which has no origin stage and always goes to a person. */
const UNKNOWN_ENTRY: TaxonomyEntry = {
  code: 'unknown',
  sees: 'cannot be classified with confidence',
  origin_stages: [],
  severity_rule: 'escalate to a person (MRB / supervisor)',
};

/** What each severity means for the parts and the line. */
export const SEVERITY_MEANINGS: ReadonlyArray<{ code: Severity; meaning: string }> = [
  { code: 'critical', meaning: 'Safety or process failure: stop the line, quarantine, escalate.' },
  { code: 'major', meaning: 'Cannot ship: hold, then rework or scrap.' },
  { code: 'minor', meaning: 'Ships after rework or with a concession.' },
  { code: 'cosmetic', meaning: 'Log only; the part ships.' },
  { code: 'none', meaning: 'No defect detected.' },
];

/** What each disposition (`recommended_action`) means. */
export const DISPOSITION_MEANINGS: ReadonlyArray<{ code: Disposition; meaning: string }> = [
  { code: 'PASS', meaning: 'The part ships as it is; cosmetic findings are logged.' },
  {
    code: 'REWORK',
    meaning:
      'The part is reworked and re-inspected before it ships (minor defects, or major ones that can be removed).',
  },
  { code: 'SCRAP', meaning: 'The part cannot be made conforming and is scrapped by MRB decision.' },
  {
    code: 'HOLD',
    meaning:
      'The parts are quarantined until a person decides (unknown type, vague or low-confidence reports); escalated.',
  },
];

/** When a classification goes to a person, independently of the disposition. */
export const ESCALATION_RULES: readonly string[] = [
  'Escalate to a person (MRB / supervisor) when the classification confidence is below 0.5.',
  'Escalate when the defect type is unknown.',
  'Escalate when the severity is critical (safety or process failure): stop the line.',
];

/** Defect types whose major occurrences can usually be reworked rather than scrapped. */
export const REWORKABLE_TYPES: ReadonlySet<DefectType> = new Set<DefectType>([
  'blade_scratch',
  'polish_defect',
  'edge_irregularity',
  'surface_contamination',
  'assembly_misalignment',
  'handle_discoloration',
]);

const SCRATCH_MAJOR_ABOVE_MM = 5;
const MISALIGNMENT_MAJOR_ABOVE_MM = 2;

function taxonomyEntries(): TaxonomyEntry[] {
  return [
    ...CONCRETE_DEFECT_TYPES.map((code) => ({
      code,
      sees: DEFECT_TYPE_DETAILS[code].sees,
      origin_stages: [...DEFECT_TYPE_DETAILS[code].originStages],
      severity_rule: DEFECT_TYPE_DETAILS[code].severityRule,
    })),
    UNKNOWN_ENTRY,
  ];
}

/** `get_defect_taxonomy`: the fixed vocabulary of defect types, severities and dispositions. */
export const getDefectTaxonomyTool = defineTool({
  name: 'get_defect_taxonomy',
  description:
    'Returns the plant defect taxonomy: the 13 defect types (what an inspector sees, usual origin stages, ' +
    'severity rule of thumb), the meaning of each severity and disposition, and the escalation rules. ' +
    'Pass defect_type to get a single type.',
  input: GetDefectTaxonomyInput,
  output: GetDefectTaxonomyOutput,
  handler: async ({ defect_type }) => ({
    defect_types: taxonomyEntries().filter(
      (entry) => defect_type === undefined || entry.code === defect_type,
    ),
    severities: [...SEVERITY_MEANINGS],
    dispositions: [...DISPOSITION_MEANINGS],
    escalation_rules: [...ESCALATION_RULES],
  }),
});

type AssessInput = z.output<typeof AssessSeverityInput>;

/** Applies the severity rule of thumb of the type, with the measured size or flags it depends on. */
function severityOf(input: AssessInput): { severity: Exclude<Severity, 'none'>; rule: string } {
  const size = input.defect_size_mm;
  switch (input.defect_type) {
    case 'blade_scratch':
      if (size === undefined)
        return {
          severity: 'minor',
          rule: 'blade_scratch: major if > 5 mm, else minor (size not given: measure it)',
        };
      return size > SCRATCH_MAJOR_ABOVE_MM
        ? { severity: 'major', rule: `blade_scratch: major if > 5 mm (${size} mm)` }
        : { severity: 'minor', rule: `blade_scratch: minor when ≤ 5 mm (${size} mm)` };
    case 'blade_chip':
      return { severity: 'critical', rule: 'blade_chip: critical (safety)' };
    case 'edge_irregularity':
      return { severity: 'major', rule: 'edge_irregularity: major' };
    case 'handle_crack':
      if (input.condition === 'cosmetic')
        return { severity: 'minor', rule: 'handle_crack: minor when cosmetic (not structural)' };
      return {
        severity: 'major',
        rule:
          input.condition === 'structural'
            ? 'handle_crack: major when structural'
            : 'handle_crack: major if structural, minor if cosmetic (structure not stated: treated as structural)',
      };
    case 'handle_discoloration':
      if (input.condition === 'uniform')
        return { severity: 'cosmetic', rule: 'handle_discoloration: cosmetic when uniform' };
      return {
        severity: 'minor',
        rule:
          input.condition === 'patchy'
            ? 'handle_discoloration: minor when patchy'
            : 'handle_discoloration: cosmetic if uniform, minor if patchy (pattern not stated: treated as patchy)',
      };
    case 'weld_defect':
      return { severity: 'major', rule: 'weld_defect: major' };
    case 'polish_defect':
      return { severity: 'minor', rule: 'polish_defect: minor' };
    case 'rust_spot':
      return { severity: 'critical', rule: 'rust_spot: critical (process failure)' };
    case 'dimensional_error':
      return { severity: 'major', rule: 'dimensional_error: major' };
    case 'assembly_misalignment':
      if (size === undefined)
        return {
          severity: 'minor',
          rule: 'assembly_misalignment: major if > 2 mm, else minor (size not given: measure it)',
        };
      return size > MISALIGNMENT_MAJOR_ABOVE_MM
        ? { severity: 'major', rule: `assembly_misalignment: major if > 2 mm (${size} mm)` }
        : { severity: 'minor', rule: `assembly_misalignment: minor when ≤ 2 mm (${size} mm)` };
    case 'surface_contamination':
      return { severity: 'minor', rule: 'surface_contamination: minor' };
    case 'heat_treatment_defect':
      return { severity: 'major', rule: 'heat_treatment_defect: major' };
    case 'unknown':
      // DOMAIN.md: major is "cannot ship; hold, rework or scrap"; held parts cannot ship until a
      // person classifies them.
      return {
        severity: 'major',
        rule: 'unknown: major, the parts cannot ship; quarantined (HOLD) until a person classifies them',
      };
  }
}

/** The bow up to which a blade is straightened once and re-tempered (SOP-VQ-03 reaction plan). */
const STRAIGHTEN_UP_TO_MM = 0.8;

/**
 * The SOP reaction plan that reworks a defect of a type that is otherwise scrapped: light rust on
 * cast iron is stripped and re-seasoned (SOP-PK-03); an over-hard load is re-tempered (SOP-HT-02);
 * a bow up to 0.8 mm is straightened once and re-tempered (SOP-VQ-03). Undefined when none applies.
 */
export function reworkBySop({
  defectType,
  condition,
  sizeMm,
}: {
  defectType: DefectType;
  condition?: SeverityCondition;
  sizeMm?: number;
}): string | undefined {
  if (defectType === 'rust_spot' && condition === 'cast_iron')
    return 'rust on cast iron is stripped, re-seasoned and re-oiled, then re-inspected 100 % (SOP-PK-03)';
  if (defectType !== 'heat_treatment_defect') return undefined;
  if (condition === 'over_hard')
    return 'hardness above 58 HRC: the load is re-tempered one more cycle and re-tested (SOP-HT-02)';
  if (condition === 'warped' && sizeMm !== undefined && sizeMm <= STRAIGHTEN_UP_TO_MM)
    return `a bow of ${sizeMm} mm (up to ${STRAIGHTEN_UP_TO_MM} mm) is straightened once and re-tempered (SOP-VQ-03)`;
  return undefined;
}

/**
 * The disposition of a severity for a type: an unknown type is held for a person, critical
 * scraps, major reworks only reworkable types, unless an SOP reaction plan reworks it
 * ({@link reworkBySop}).
 */
export function dispositionOf(
  severity: Severity,
  defectType: DefectType,
  rework?: { condition?: SeverityCondition; sizeMm?: number },
): Disposition {
  if (defectType === 'unknown') return 'HOLD';
  if ((severity === 'critical' || severity === 'major') && reworkBySop({ defectType, ...rework }))
    return 'REWORK';
  switch (severity) {
    case 'critical':
      return 'SCRAP';
    case 'major':
      return REWORKABLE_TYPES.has(defectType) ? 'REWORK' : 'SCRAP';
    case 'minor':
      return 'REWORK';
    case 'cosmetic':
    case 'none':
      return 'PASS';
  }
}

/** `assess_severity`: severity, disposition and escalation from the rules of thumb. */
export const assessSeverityTool = defineTool({
  name: 'assess_severity',
  description:
    'Applies the plant severity rules of thumb to a classified defect (scratch > 5 mm major, misalignment ' +
    '> 2 mm major, chips and rust critical, ...) and returns severity, disposition (PASS / REWORK / SCRAP, ' +
    'HOLD for an unknown type or a confidence below 0.5), ' +
    'whether to escalate to a person and why, and the rule that decided.',
  input: AssessSeverityInput,
  output: AssessSeverityOutput,
  handler: async (input) => {
    const { severity, rule } = severityOf(input);
    const reasons: string[] = [];
    if (input.confidence !== undefined && input.confidence < 0.5)
      reasons.push(`confidence ${input.confidence} is below 0.5: needs human review`);
    if (input.defect_type === 'unknown') reasons.push('the defect type is unknown');
    if (severity === 'critical')
      reasons.push('severity is critical (safety or process failure): stop the line');
    const lowConfidence = input.confidence !== undefined && input.confidence < 0.5;
    const conditions = {
      ...(input.condition ? { condition: input.condition } : {}),
      ...(input.defect_size_mm !== undefined ? { sizeMm: input.defect_size_mm } : {}),
    };
    const rework = reworkBySop({ defectType: input.defect_type, ...conditions });
    return {
      severity,
      recommended_action: lowConfidence ? 'HOLD' : dispositionOf(severity, input.defect_type, conditions),
      escalate: reasons.length > 0,
      escalation_reason: reasons.length > 0 ? reasons.join('; ') : null,
      rule: rework && !lowConfidence ? `${rule}; rework: ${rework}` : rule,
    };
  },
});

/** The defect-taxonomy action group: what a defect is and how serious it is. */
export const defectTaxonomyGroup: ActionGroup = {
  name: 'defect-taxonomy',
  description:
    'The fixed defect vocabulary of the plant and the severity / disposition / escalation rules of thumb.',
  tools: [getDefectTaxonomyTool, assessSeverityTool],
};
