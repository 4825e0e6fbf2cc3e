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

/** The metadata of a passage (see `knowledge-base/documents/chunk.ts`). */
export const PassageMetadataBody = z.object({
  source_id: z.string(),
  chunk_id: z.string(),
  doc_type: DocType,
  title: z.string(),
  section: z.string(),
  stage: z.string(),
  defect_types: z.array(z.string()),
  facilities: z.array(z.string()),
  product_sku: z.string().nullable(),
  date: z.string().nullable(),
  severity: z.string().nullable(),
  root_cause_category: z.string().optional().describe('Past defects: the confirmed root cause'),
  occurrence: z.string().optional(),
  escape: z.string().optional(),
  systemic: z.string().optional(),
  actions: z.array(z.string()).optional().describe('Past defects: `type | owner role | description`'),
  effective: z.string().optional().describe('Past defects: true, false, partial or unverified'),
  outcome: z.string().optional(),
  recurrence_of: z.string().optional(),
  owner_role: z.string().optional().describe('SOPs: the owning role'),
  revision: z.string().optional().describe('SOPs: the revision'),
});

/** One passage found by `GET /knowledge/search`. */
export const KnowledgeSearchResult = z.object({
  chunk_id: z.string(),
  source_id: z.string(),
  doc_type: DocType,
  title: z.string(),
  section: z.string(),
  score: z.number().describe('Higher is better; comparable only within one search'),
  text: z.string(),
  metadata: PassageMetadataBody,
});
export type KnowledgeSearchResult = z.infer<typeof KnowledgeSearchResult>;

/** The body of `GET /knowledge/search`. */
export const KnowledgeSearchResults = z.object({
  query: z.string(),
  search_type: z.enum(['hybrid', 'semantic', 'lexical']),
  took_ms: z.number().min(0),
  passages: z.array(KnowledgeSearchResult),
});
export type KnowledgeSearchResults = z.infer<typeof KnowledgeSearchResults>;

function toResult(passage: Passage): KnowledgeSearchResult {
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
    } satisfies KnowledgeSearchResults);
  });
  return router;
}
