import { z } from 'zod';
import {
  ConcreteDefectType,
  DefectType,
  Disposition,
  ProductionStage,
  Severity,
} from '../../domain/index.ts';

/** Input of `get_defect_taxonomy`. */
export const GetDefectTaxonomyInput = z.object({
  defect_type: DefectType.optional().describe('Only this type; all 13 when omitted'),
});

/** Output of `get_defect_taxonomy`. */
export const GetDefectTaxonomyOutput = z.object({
  defect_types: z.array(
    z.object({
      code: DefectType,
      sees: z.string(),
      origin_stages: z.array(ProductionStage),
      severity_rule: z.string(),
    }),
  ),
  severities: z.array(z.object({ code: Severity, meaning: z.string() })),
  dispositions: z.array(z.object({ code: Disposition, meaning: z.string() })),
  escalation_rules: z.array(z.string()),
});

/** The condition a type's severity or disposition rule depends on. */
export const SeverityCondition = z.enum([
  'structural',
  'cosmetic',
  'patchy',
  'uniform',
  'over_hard',
  'warped',
  'cast_iron',
]);
export type SeverityCondition = z.infer<typeof SeverityCondition>;

/** Input of `assess_severity`. */
export const AssessSeverityInput = z.object({
  defect_type: z.enum([...ConcreteDefectType.options, 'unknown']).describe('The classified defect type'),
  defect_size_mm: z.number().min(0).max(1000).optional().describe('Largest dimension of the defect in mm'),
  condition: SeverityCondition.optional().describe(
    'The one condition the rule of the type depends on: handle_crack structural | cosmetic; ' +
      'handle_discoloration patchy | uniform; heat_treatment_defect over_hard (above 58 HRC: re-tempered, ' +
      'SOP-HT-02) | warped (defect_size_mm is the bow: up to 0.8 mm straightened, SOP-VQ-03); ' +
      'rust_spot cast_iron (light surface rust on a pan or wok: stripped and re-seasoned, SOP-PK-03)',
  ),
  confidence: z.number().min(0).max(1).optional().describe('Classification confidence, 0..1'),
});

/** Output of `assess_severity`. */
export const AssessSeverityOutput = z.object({
  severity: Severity,
  recommended_action: Disposition,
  escalate: z.boolean(),
  escalation_reason: z.string().nullable(),
  rule: z.string().describe('The rule of thumb that decided the severity'),
});
