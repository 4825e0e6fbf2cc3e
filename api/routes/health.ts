import { Router } from 'express';
import type { KnowledgeBase } from '../../knowledge-base/knowledge-base.ts';

/** Liveness (`/health`) and readiness (`/ready`: the knowledge base answers and holds documents). */
export function healthRoutes({ knowledgeBase }: { knowledgeBase: KnowledgeBase }): Router {
  const router = Router();
  router.get('/health', (_request, response) => {
    response.json({ status: 'ok' });
  });
  router.get('/ready', async (request, response) => {
    try {
      const description = await knowledgeBase.describe();
      const ready = description.chunks > 0;
      response.status(ready ? 200 : 503).json({
        status: ready ? 'ready' : 'not_ready',
        checks: {
          knowledge_base: { ok: ready, documents: description.documents, chunks: description.chunks },
        },
      });
    } catch (error) {
      request.log.error({ err: error }, 'readiness check failed');
      response.status(503).json({ status: 'not_ready', checks: { knowledge_base: { ok: false } } });
    }
  });
  return router;
}
