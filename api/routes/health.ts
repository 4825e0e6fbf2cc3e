import { Router } from 'express';
import type { KnowledgeBase } from '../../knowledge-base/knowledge-base.ts';
import type { AnalysisStore } from '../persistence/analysis-store.ts';

/** Liveness (`/health`) and readiness (`/ready`: the store answers, the knowledge base holds chunks). */
export function healthRoutes({
  knowledgeBase,
  store,
}: {
  knowledgeBase: KnowledgeBase;
  store: AnalysisStore;
}): Router {
  const router = Router();
  router.get('/health', (_request, response) => {
    response.json({ status: 'ok' });
  });
  router.get('/ready', async (request, response) => {
    const checks: Record<string, { ok: boolean; [key: string]: unknown }> = {};
    try {
      const description = await knowledgeBase.describe();
      checks.knowledge_base = {
        ok: description.chunks > 0,
        documents: description.documents,
        chunks: description.chunks,
      };
    } catch (error) {
      request.log.error({ err: error }, 'knowledge base readiness check failed');
      checks.knowledge_base = { ok: false };
    }
    try {
      await store.ping();
      checks.store = { ok: true };
    } catch (error) {
      request.log.error({ err: error }, 'store readiness check failed');
      checks.store = { ok: false };
    }
    const ready = Object.values(checks).every((check) => check.ok);
    response.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks });
  });
  return router;
}
