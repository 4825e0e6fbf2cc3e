import { z } from 'zod';
import {
  Category6M,
  ConcreteDefectType,
  CorrectiveAction,
  Facility,
  ProductionStage,
  ProductSku,
  Severity,
} from '../../domain/index.ts';

/** The confirmed root cause a CAPA is drafted for: the `root_cause` of the root-cause analysis. */
export const CapaRootCause = z
  .object({
    category_6m: Category6M,
    occurrence: z.string().min(3).max(2000).describe('Why the defect was made'),
    escape: z.string().min(3).max(2000).describe('Why inspection did not catch it'),
    systemic: z.string().min(3).max(2000).describe('Why the system allowed both'),
    hypothesis: z
      .boolean()
      .optional()
      .describe(
        'True when the occurrence cause is not yet verified; the first corrective action then verifies it',
      ),
  })
  .describe('The confirmed root cause, as the root-cause analysis states it.');

/** Where the defect was found, from the inspection report. */
export const CapaScope = z
  .object({
    facility: Facility.optional(),
    product_sku: ProductSku.optional(),
    batch_id: z.string().max(64).optional(),
    symptom: z
      .string()
      .max(2000)
      .optional()
      .describe('What the inspector saw (e.g. blade bowed 0.6 mm), to pick the window parameter it concerns'),
  })
  .describe(
    'Where the defect was found, from the inspection report: scopes the containment and names the other facilities and SKUs for the preventive actions.',
  );

/** Input of `draft_capa`. */
export const DraftCapaInput = z.object({
  defect_type: ConcreteDefectType,
  stage: ProductionStage,
  severity: Severity.exclude(['none']),
  root_cause: CapaRootCause,
  scope: CapaScope.optional(),
});

/** What the draft was built on: the cause mechanism recognised and the window parameter it checks. */
export const CapaBasis = z.object({
  cause_mechanism: z.string().nullable().describe('The recognised cause mechanism; null when none fits'),
  window_parameter: z
    .string()
    .nullable()
    .describe('The process-window parameter the corrective action is checked on, with its stage'),
  hypothesis: z.boolean().describe('True when the cause was treated as a hypothesis to verify first'),
});

/** Output of `draft_capa`: typed actions with owners, due dates, checks and citations. */
export const DraftCapaOutput = z.object({
  actions: z.array(CorrectiveAction).min(4),
  basis: CapaBasis.optional(),
});
