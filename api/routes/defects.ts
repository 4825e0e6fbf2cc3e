import { Router } from 'express';
import { z } from 'zod';
import {
  AnalysisStatus,
  ClassifiedType,
  DefectId,
  Facility,
  ProductionStage,
  ProductSku,
  ReviewState,
  Severity,
  type ReviewedAnalysis,
} from '../../domain/index.ts';
import { principalOf } from '../auth/middleware.ts';
import type { ServiceDependencies } from '../use-cases/dependencies.ts';
import { scopedFacility } from '../use-cases/questions.ts';

const since = z.iso
  .datetime({ offset: true })
  .or(z.iso.date())
  .transform((value) => new Date(value.length === 10 ? `${value}T00:00:00Z` : value));

const DefectsQuery = z
  .object({
    facility: Facility.optional(),
    sku: ProductSku.optional(),
    type: ClassifiedType.optional(),
    since: since.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(200).optional(),
  })
  .strict();

const StatsQuery = z
  .object({ facility: Facility.optional(), since: since.optional(), review_state: ReviewState.optional() })
  .strict();

/** A row of the defect history: the reviewed values once a person reviewed it, else the machine's. */
export const DefectSummary = z.object({
  defect_id: DefectId,
  created_at: z.iso.datetime({ offset: true }),
  status: AnalysisStatus,
  review_state: ReviewState,
  facility: Facility.nullable(),
  product_sku: ProductSku.nullable(),
  batch_id: z.string().nullable(),
  defect_type: ClassifiedType.nullable(),
  severity: Severity.nullable(),
  confidence: z.number().min(0).max(1).nullable(),
  probable_stage: ProductionStage.nullable(),
  description: z.string().nullable().describe('The first 200 characters of the report'),
});
export type DefectSummary = z.infer<typeof DefectSummary>;

/** A page of the defect history: the body of `GET /defects`. */
export const DefectPage = z.object({
  items: z.array(DefectSummary),
  next_cursor: z.string().nullable().describe('Pass as cursor for the next page; null on the last'),
});
export type DefectPage = z.infer<typeof DefectPage>;

const Counts = z.record(z.string(), z.number().int().min(0));

/** The body of `GET /stats`. */
export const Stats = z.object({
  facility: Facility.nullable().describe(
    'The facility counted (a scoped key counts its own), or null for all',
  ),
  since: z.iso.datetime({ offset: true }).nullable(),
  review_state: ReviewState.nullable(),
  total_analyses: z.number().int().min(0),
  confirmed_analyses: z
    .number()
    .int()
    .min(0)
    .describe('Confirmed or corrected by a person (closed included)'),
  defects_detected: z.number().int().min(0),
  defect_rate: z.number().min(0).max(1).describe('defects_detected / total_analyses, 4 decimals'),
  by_status: Counts,
  by_type: Counts,
  by_severity: Counts,
  by_stage: Counts,
  by_facility: Counts,
  by_review_state: Counts,
  top_root_causes_basis: z.literal('confirmed'),
  top_root_causes: z
    .array(
      z.object({
        stage: z.string(),
        defect_type: z.string(),
        category_6m: z.string(),
        count: z.number().int().min(1),
        example_defect_ids: z.array(z.string()),
      }),
    )
    .describe('Most frequent (stage, defect type, 6M category) groups of confirmed and corrected analyses'),
});
export type Stats = z.infer<typeof Stats>;

/** The {@link DefectSummary} of an analysis. */
export function defectSummary(analysis: ReviewedAnalysis): DefectSummary {
  const reviewed = analysis.review.state !== 'draft';
  const { fields } = analysis.review;
  return {
    defect_id: analysis.defect_id,
    created_at: analysis.created_at,
    status: analysis.status,
    review_state: analysis.review.state,
    facility: analysis.report.facility ?? null,
    product_sku: analysis.report.product_sku ?? null,
    batch_id: analysis.report.batch_id ?? null,
    defect_type: reviewed ? fields.defect_type : (analysis.classification?.defect_type ?? null),
    severity: reviewed ? fields.severity : (analysis.classification?.severity ?? null),
    confidence: analysis.classification?.confidence ?? null,
    probable_stage: reviewed ? fields.probable_stage : (analysis.root_cause?.probable_stage ?? null),
    description: analysis.report.description?.slice(0, 200) ?? null,
  };
}

/** `GET /defects` (history, newest first, paginated) and `GET /stats`. */
export function defectRoutes(dependencies: ServiceDependencies): Router {
  const router = Router();
  router.get('/defects', async (request, response) => {
    const query = DefectsQuery.parse(request.query);
    const page = await dependencies.store.listAnalyses({
      facility: scopedFacility(principalOf(request), query.facility),
      productSku: query.sku,
      defectType: query.type,
      since: query.since,
      limit: query.limit,
      cursor: query.cursor,
    });
    response.json({
      items: page.items.map(defectSummary),
      next_cursor: page.nextCursor,
    } satisfies DefectPage);
  });
  router.get('/stats', async (request, response) => {
    const query = StatsQuery.parse(request.query);
    const facility = scopedFacility(principalOf(request), query.facility);
    const stats = await dependencies.store.stats({
      facility,
      since: query.since,
      reviewState: query.review_state,
    });
    response.json({
      facility: facility ?? null,
      since: query.since?.toISOString() ?? null,
      review_state: query.review_state ?? null,
      total_analyses: stats.total,
      confirmed_analyses: stats.confirmed,
      defects_detected: stats.withDefect,
      defect_rate: stats.total === 0 ? 0 : Math.round((stats.withDefect / stats.total) * 10_000) / 10_000,
      by_status: stats.byStatus,
      by_type: stats.byType,
      by_severity: stats.bySeverity,
      by_stage: stats.byStage,
      by_facility: stats.byFacility,
      by_review_state: stats.byReviewState,
      // Groups of confirmed and corrected analyses only: drafts are unconfirmed.
      top_root_causes_basis: 'confirmed',
      top_root_causes: stats.topRootCauses.map((group) => ({
        stage: group.stage,
        defect_type: group.defectType,
        category_6m: group.category6m,
        count: group.count,
        example_defect_ids: group.exampleDefectIds,
      })),
    } satisfies Stats);
  });
  return router;
}
