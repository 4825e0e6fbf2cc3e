import { z } from 'zod';
import { ConcreteDefectType, Facility, ProductionStage, ProductSku } from '../../domain/index.ts';

/** Input of `count_recurrences`. */
export const CountRecurrencesInput = z.object({
  defect_type: ConcreteDefectType.optional(),
  stage: ProductionStage.optional(),
  facility: Facility.optional(),
  product_sku: ProductSku.optional(),
  window_days: z.number().int().min(1).max(730).default(90).describe('Look-back window in days'),
});

/** Output of `count_recurrences`. */
export const CountRecurrencesOutput = z.object({
  count: z.number().int().min(0).describe('Occurrences a person confirmed or corrected'),
  unconfirmed_count: z
    .number()
    .int()
    .min(0)
    .describe('Machine drafts nobody has reviewed yet, not counted in count'),
  window_days: z.number().int(),
  since: z.iso.date(),
  by_facility: z.record(z.string(), z.number().int()),
  by_stage: z.record(z.string(), z.number().int()),
  recent_defect_ids: z.array(z.string()).describe('Up to 10 confirmed, newest first'),
  recurring: z.boolean().describe('True from 3 confirmed occurrences in the window'),
});
