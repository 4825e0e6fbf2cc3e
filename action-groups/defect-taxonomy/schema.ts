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

/** Input of `assess_severity`. */
export const AssessSeverityInput = z.object({
  defect_type: z.enum([...ConcreteDefectType.options, 'unknown']).describe('The classified defect type'),
  defect_size_mm: z.number().min(0).max(1000).optional().describe('Largest dimension of the defect in mm'),
  structural: z.boolean().optional().describe('Handle cracks: whether the crack is structural'),
  patchy: z.boolean().optional().describe('Handle discoloration: whether it is patchy rather than uniform'),
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
