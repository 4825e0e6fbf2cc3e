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

/** Input of `draft_capa`. */
export const DraftCapaInput = z.object({
  defect_type: ConcreteDefectType,
  stage: ProductionStage,
  severity: Severity.exclude(['none']),
  root_cause_category: Category6M,
  occurrence_cause: z.string().min(3).max(2000),
  escape_cause: z.string().min(3).max(2000),
  systemic_cause: z.string().min(3).max(2000),
  facility: Facility.optional(),
  product_sku: ProductSku.optional(),
  batch_id: z.string().max(64).optional(),
});

/** Output of `draft_capa`: typed actions with owners, due dates, checks and citations. */
export const DraftCapaOutput = z.object({ actions: z.array(CorrectiveAction).min(4) });
