import { Router } from 'express';
import { z } from 'zod';
import { ConcreteDefectType, DocType, Facility, ProcessStep, ProductSku } from '../../domain/index.ts';
import { scopeKnowledgeBase } from '../../action-groups/scope.ts';
import type { KnowledgeBase, Passage } from '../../knowledge-base/knowledge-base.ts';
import { principalOf } from '../auth/middleware.ts';
import { principalScope } from '../use-cases/analyses.ts';
import { scopedFacility } from '../use-cases/questions.ts';

/** Query of `GET /api/v1/knowledge/search`. */
export const KnowledgeSearchQuery = z
  .object({
    q: z.string().trim().min(1, 'q is required').max(500),
    doc_type: DocType.optional(),
    stage: ProcessStep.optional(),
    defect_type: ConcreteDefectType.optional(),
    facility: Facility.optional(),
    product_sku: ProductSku.optional(),
    k: z.coerce.number().int().min(1).max(50).default(10),
    search_type: z.enum(['hybrid', 'semantic', 'lexical']).default('hybrid'),
  })
  .strict();

function toResult(passage: Passage) {
  const { metadata } = passage;
  return {
    chunk_id: metadata.chunk_id,
    source_id: metadata.source_id,
    doc_type: metadata.doc_type,
    title: metadata.title,
    section: metadata.section,
    score: passage.score,
    text: passage.content.text,
    metadata,
  };
}

/**
 * Knowledge search for QA engineers: hybrid retrieval with metadata filters, within the caller's
 * facility (a scoped key asking for another facility is refused).
 */
export function knowledgeRoutes({ knowledgeBase }: { knowledgeBase: KnowledgeBase }): Router {
  const router = Router();
  router.get('/knowledge/search', async (request, response) => {
    const query = KnowledgeSearchQuery.parse(request.query);
    const principal = principalOf(request);
    const facility = scopedFacility(principal, query.facility);
    const started = performance.now();
    const passages = await scopeKnowledgeBase(knowledgeBase, principalScope(principal)).retrieve({
      query: query.q,
      k: query.k,
      searchType: query.search_type,
      filter: {
        doc_type: query.doc_type,
        stage: query.stage,
        defect_type: query.defect_type,
        facility,
        product_sku: query.product_sku,
      },
    });
    response.json({
      query: query.q,
      search_type: query.search_type,
      took_ms: Math.round((performance.now() - started) * 100) / 100,
      passages: passages.map(toResult),
    });
  });
  return router;
}
