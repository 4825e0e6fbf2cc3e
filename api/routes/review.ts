import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  AnalysisStatus,
  ClassifiedType,
  DefectId,
  Facility,
  ProductSku,
  ReviewState,
  type ReviewedAnalysis,
} from '../../domain/index.ts';
import { principalOf } from '../auth/middleware.ts';
import type { ServiceDependencies } from '../use-cases/dependencies.ts';
import { scopedFacility } from '../use-cases/questions.ts';
import {
  ActionChange,
  ActionDrop,
  NewAction,
  ReviewDecision,
  applyReview,
  entityTag,
  getReviewTrail,
  type ReviewCommand,
} from '../use-cases/review.ts';

const DefectIdParam = z.object({ id: DefectId });
const ActionParams = z.object({
  id: DefectId,
  actionId: z.string().regex(/^A\d{1,4}$/, 'action ids look like A1, A2, …'),
});

const since = z.iso
  .datetime({ offset: true })
  .or(z.iso.date())
  .transform((value) => new Date(value.length === 10 ? `${value}T00:00:00Z` : value));

/** Filters and page of `GET /analyses`. */
export const AnalysesQuery = z
  .object({
    review_state: ReviewState.optional(),
    status: AnalysisStatus.optional(),
    facility: Facility.optional(),
    sku: ProductSku.optional(),
    type: ClassifiedType.optional(),
    since: since.optional(),
    text: z.string().trim().min(1).max(200).optional(),
    include_evaluation: z.enum(['true', 'false']).default('false'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(200).optional(),
  })
  .strict();

function ifMatchOf(request: Request): string | undefined {
  const header = request.headers['if-match'];
  return Array.isArray(header) ? header.join(',') : header;
}

/** Answers an analysis with its ETag. */
export function sendReviewed(response: Response, analysis: ReviewedAnalysis): void {
  response.setHeader('ETag', entityTag(analysis));
  response.json(analysis);
}

/**
 * `GET /analyses` (filtered listing with reviews), the review of one analysis (`POST
 * /analyses/:id/review`), its corrective actions (`POST /analyses/:id/actions`, `PATCH` and
 * `DELETE /analyses/:id/actions/:actionId`) and its audit trail (`GET /analyses/:id/audit`).
 * Every write needs `If-Match` with the analysis' ETag.
 */
export function reviewRoutes(dependencies: ServiceDependencies): Router {
  const router = Router();

  router.get('/analyses', async (request, response) => {
    const query = AnalysesQuery.parse(request.query);
    const page = await dependencies.store.listAnalyses({
      facility: scopedFacility(principalOf(request), query.facility),
      productSku: query.sku,
      defectType: query.type,
      status: query.status,
      reviewState: query.review_state,
      text: query.text,
      since: query.since,
      includeEvaluation: query.include_evaluation === 'true',
      limit: query.limit,
      cursor: query.cursor,
    });
    response.json({ items: page.items, next_cursor: page.nextCursor });
  });

  const write = async (request: Request, response: Response, id: string, command: ReviewCommand) => {
    const saved = await applyReview(dependencies, {
      defectId: id,
      principal: principalOf(request),
      ifMatch: ifMatchOf(request),
      command,
    });
    sendReviewed(response, saved);
  };

  router.post('/analyses/:id/review', async (request, response) => {
    const { id } = DefectIdParam.parse(request.params);
    await write(request, response, id, { kind: 'decision', decision: ReviewDecision.parse(request.body) });
  });

  router.post('/analyses/:id/actions', async (request, response) => {
    const { id } = DefectIdParam.parse(request.params);
    const action = NewAction.parse(request.body);
    await write(request, response.status(201), id, { kind: 'add_action', action });
  });

  router.patch('/analyses/:id/actions/:actionId', async (request, response) => {
    const { id, actionId } = ActionParams.parse(request.params);
    await write(request, response, id, {
      kind: 'change_action',
      actionId,
      change: ActionChange.parse(request.body),
    });
  });

  router.delete('/analyses/:id/actions/:actionId', async (request, response) => {
    const { id, actionId } = ActionParams.parse(request.params);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const fromQuery = Object.keys(body).length === 0 ? request.query : body;
    await write(request, response, id, { kind: 'drop_action', actionId, drop: ActionDrop.parse(fromQuery) });
  });

  router.get('/analyses/:id/audit', async (request, response) => {
    const { id } = DefectIdParam.parse(request.params);
    const events = await getReviewTrail(dependencies, { defectId: id, principal: principalOf(request) });
    response.json({ defect_id: id, events });
  });

  return router;
}
