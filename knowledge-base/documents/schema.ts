import { z } from 'zod';
import {
  ActionType,
  Category6M,
  ConcreteDefectType,
  DefectId,
  Facility,
  ProcessStep,
  ProductionStage,
  ProductSku,
  Severity,
} from '../../domain/index.ts';

const isoDate = z.union([z.iso.date(), z.date().transform((date) => date.toISOString().slice(0, 10))]);

/** Front-matter of a past defect record (`corpus/past-defects/*.md`). */
export const PastDefectFrontMatter = z
  .object({
    id: DefectId,
    doc_type: z.literal('past_defect'),
    title: z.string().min(5).max(200),
    date: isoDate,
    facility: Facility,
    product_sku: ProductSku,
    stage: ProductionStage,
    defect_type: ConcreteDefectType,
    severity: Severity.exclude(['none']),
    batch_id: z.string().optional(),
    units_inspected: z.number().int().min(0).optional(),
    units_affected: z.number().int().min(0).optional(),
    measurements: z.record(z.string(), z.number()).default({}),
    root_cause: z.object({
      category_6m: Category6M,
      occurrence: z.string().min(5),
      escape: z.string().min(5),
      systemic: z.string().min(5),
    }),
    actions: z
      .array(
        z.object({
          type: ActionType,
          description: z.string().min(5),
          owner_role: z.string().min(2),
        }),
      )
      .describe('At least one on a curated record; a learned record lists the reviewed actions, if any'),
    /** Whether the actions worked; absent on a learned record whose actions are not verified yet. */
    effective: z.union([z.boolean(), z.literal('partial')]).optional(),
    outcome: z.string().min(5).optional(),
    recurrence_of: DefectId.optional(),
    /** Provenance of a record learned from a reviewed analysis (absent on the curated corpus). */
    analysis_id: DefectId.optional(),
    review_state: z.enum(['confirmed', 'corrected', 'closed']).optional(),
    confirmed_by: z.string().min(1).optional(),
    confirmed_at: z.union([z.iso.datetime(), z.date().transform((date) => date.toISOString())]).optional(),
  })
  .strict()
  .superRefine((record, context) => {
    if (record.analysis_id !== undefined) return;
    // A curated record states its actions and how they worked; only a learned one may not know yet.
    if (record.actions.length === 0)
      context.addIssue({ code: 'custom', path: ['actions'], message: 'needs at least one action' });
    for (const field of ['effective', 'outcome'] as const) {
      if (record[field] === undefined)
        context.addIssue({ code: 'custom', path: [field], message: 'is required on a curated record' });
    }
  });
export type PastDefectFrontMatter = z.infer<typeof PastDefectFrontMatter>;

/** Front-matter of a standard operating procedure (`corpus/sops/*.md`). */
export const SopFrontMatter = z
  .object({
    id: z.string().regex(/^SOP-[A-Z]{2}-\d{2}$/, 'must look like SOP-XX-NN'),
    doc_type: z.literal('sop'),
    title: z.string().min(5).max(200),
    stage: ProcessStep,
    defect_types: z.array(ConcreteDefectType).min(1),
    revision: z.union([z.string(), z.number()]).transform(String),
    effective_date: isoDate,
    owner_role: z.string().min(2),
    facilities: z.array(Facility).min(1),
  })
  .strict();
export type SopFrontMatter = z.infer<typeof SopFrontMatter>;

/** A parsed corpus document: its metadata, its Markdown body and the hash of its source. */
export type KnowledgeDocument =
  | { kind: 'past_defect'; file: string; contentHash: string; metadata: PastDefectFrontMatter; body: string }
  | { kind: 'sop'; file: string; contentHash: string; metadata: SopFrontMatter; body: string };
