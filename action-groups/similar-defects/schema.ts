import { z } from 'zod';
import {
  ActionType,
  Category6M,
  ConcreteDefectType,
  Facility,
  ProductionStage,
  ProductSku,
  Severity,
} from '../../domain/index.ts';

/** The fields a search of past defects can be narrowed by. */
export const SimilarDefectsFilter = z
  .object({
    defect_type: ConcreteDefectType.optional(),
    stage: ProductionStage.optional(),
    facility: Facility.optional(),
    product_sku: ProductSku.optional(),
  })
  .describe('Only past defects matching every given field.');

/** Input of `find_similar_defects`. */
export const FindSimilarDefectsInput = z.object({
  description: z
    .string()
    .min(3)
    .max(4000)
    .describe("What was seen, in the inspector's words, plus measurements"),
  filter: SimilarDefectsFilter.optional(),
  k: z.number().int().min(1).max(10).default(5).describe('How many past defects to return'),
});

/** A confirmed past defect, as the agents reason over it. */
export const SimilarDefect = z.object({
  source_id: z.string(),
  chunk_id: z.string().describe('The best-matching passage of the record, citable'),
  title: z.string(),
  defect_type: ConcreteDefectType,
  stage: ProductionStage,
  severity: Severity,
  facility: Facility,
  product_sku: ProductSku,
  date: z.string(),
  score: z.number(),
  excerpt: z.string(),
  root_cause: z.object({
    category_6m: Category6M,
    occurrence: z.string(),
    escape: z.string(),
    systemic: z.string(),
  }),
  actions: z.array(z.object({ type: ActionType, owner_role: z.string(), description: z.string() })),
  /** `unverified`: a record learned from a confirmed analysis whose actions are not verified yet. */
  effective: z.enum(['true', 'false', 'partial', 'unverified']),
  outcome: z.string(),
});
export type SimilarDefect = z.infer<typeof SimilarDefect>;

/** Output of `find_similar_defects`: one entry per record, best first. */
export const FindSimilarDefectsOutput = z.object({ defects: z.array(SimilarDefect) });
