import { Router } from 'express';
import { z } from 'zod';
import type { KnowledgeBase } from '../../knowledge-base/knowledge-base.ts';
import type { AnalysisStore } from '../persistence/analysis-store.ts';

/** The body of `GET /health`. */
export const Health = z.object({ status: z.literal('ok') });
export type Health = z.infer<typeof Health>;

/** One readiness check; the knowledge base adds its counts. */
const ReadinessCheck = z.object({ ok: z.boolean() });

/** The body of `GET /ready` (200 when every check is ok, else 503). */
export const Readiness = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.object({
    knowledge_base: ReadinessCheck.extend({
      documents: z.number().int().min(0).optional(),
      chunks: z.number().int().min(0).optional(),
    }),
    store: ReadinessCheck,
  }),
});
export type Readiness = z.infer<typeof Readiness>;

/** What a readiness check of a knowledge base that cannot count its chunks retrieves. */
export const READINESS_PROBE_QUERY = 'defect';

/** How long the readiness retrieval may take before the knowledge base counts as not ready. */
export const READINESS_PROBE_TIMEOUT_MS = 5_000;

/**
 * Liveness (`/health`) and readiness (`/ready`: the store answers, the knowledge base holds
 * chunks). A knowledge base that cannot count (a Bedrock knowledge base behind Retrieve reports
 * -1) is ready when one retrieval answers with a passage: that checks the permission, the
 * knowledge base's existence and that something was ingested.
 */
export function healthRoutes({
  knowledgeBase,
  store,
}: {
  knowledgeBase: Pick<KnowledgeBase, 'describe' | 'retrieve'>;
  store: Pick<AnalysisStore, 'ping'>;
}): Router {
  const router = Router();
  router.get('/health', (_request, response) => {
    response.json({ status: 'ok' } satisfies Health);
  });
  router.get('/ready', async (request, response) => {
    const checks: Readiness['checks'] = { knowledge_base: { ok: false }, store: { ok: false } };
    try {
      const description = await knowledgeBase.describe();
      if (description.chunks >= 0) {
        checks.knowledge_base = {
          ok: description.chunks > 0,
          documents: description.documents,
          chunks: description.chunks,
        };
      } else {
        const passages = await knowledgeBase.retrieve({
          query: READINESS_PROBE_QUERY,
          k: 1,
          signal: AbortSignal.timeout(READINESS_PROBE_TIMEOUT_MS),
        });
        checks.knowledge_base = { ok: passages.length > 0 };
      }
    } catch (error) {
      request.log.error({ err: error }, 'knowledge base readiness check failed');
    }
    try {
      await store.ping();
      checks.store = { ok: true };
    } catch (error) {
      request.log.error({ err: error }, 'store readiness check failed');
    }
    const ready = Object.values(checks).every((check) => check.ok);
    response
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not_ready', checks } satisfies Readiness);
  });
  return router;
}
