import { Router } from 'express';
import { z } from 'zod';
import { Citation, DefectId } from '../../domain/index.ts';
import { principalOf } from '../auth/middleware.ts';
import type { StoredExchange } from '../persistence/analysis-store.ts';
import type { ServiceDependencies } from '../use-cases/dependencies.ts';
import { askQuestion, listQuestions } from '../use-cases/questions.ts';

const QuestionBody = z.object({ question: z.string().trim().min(3).max(2000) }).strict();
const DefectIdParam = z.object({ id: DefectId });

/** One stored follow-up exchange: the body of `POST /analyses/:id/questions`. */
export const QuestionExchange = z.object({
  id: z.number().int(),
  question: z.string(),
  answer: z.string(),
  agent: z.string().describe('The specialist that answered'),
  citations: z.array(Citation),
  asked_at: z.iso.datetime({ offset: true }),
});
export type QuestionExchange = z.infer<typeof QuestionExchange>;

/** The stored conversation of an analysis, oldest first: the body of `GET /analyses/:id/questions`. */
export const Conversation = z.object({ defect_id: DefectId, questions: z.array(QuestionExchange) });
export type Conversation = z.infer<typeof Conversation>;

function exchangeBody(exchange: StoredExchange): QuestionExchange {
  return {
    id: exchange.id,
    question: exchange.question,
    answer: exchange.answer,
    agent: exchange.agent,
    citations: exchange.citations,
    asked_at: exchange.askedAt,
  };
}

/** Follow-up questions about an analysis, kept in its session. */
export function questionRoutes(dependencies: ServiceDependencies): Router {
  const router = Router();
  router.post('/analyses/:id/questions', async (request, response) => {
    const { id } = DefectIdParam.parse(request.params);
    const { question } = QuestionBody.parse(request.body);
    const exchange = await askQuestion(dependencies, {
      defectId: id,
      question,
      principal: principalOf(request),
    });
    response.status(201).json(exchangeBody(exchange));
  });
  router.get('/analyses/:id/questions', async (request, response) => {
    const { id } = DefectIdParam.parse(request.params);
    const exchanges = await listQuestions(dependencies, { defectId: id, principal: principalOf(request) });
    response.json({ defect_id: id, questions: exchanges.map(exchangeBody) } satisfies Conversation);
  });
  return router;
}
