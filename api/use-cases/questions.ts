import { ForbiddenError } from '../../domain/index.ts';
import type { Principal } from '../auth/api-keys.ts';
import type { StoredExchange } from '../persistence/analysis-store.ts';
import { assertDiscussable, getAnalysis, principalScope } from './analyses.ts';
import type { ServiceDependencies } from './dependencies.ts';

/** Asks a follow-up question about an analysis; the exchange is stored in its session. */
export async function askQuestion(
  dependencies: ServiceDependencies,
  { defectId, question, principal }: { defectId: string; question: string; principal: Principal },
): Promise<StoredExchange> {
  const analysis = await getAnalysis(dependencies, { defectId, principal });
  assertDiscussable(analysis);
  const history = await dependencies.store.listExchanges({ defectId });
  const result = await dependencies.orchestrator.ask({
    analysis,
    history: history.map((exchange) => ({
      question: exchange.question,
      answer: exchange.answer,
      agent: exchange.agent as 'classifier' | 'root-cause' | 'corrective-action',
    })),
    question,
    scope: principalScope(principal),
  });
  return dependencies.store.appendExchange({
    defectId: analysis.defect_id,
    question,
    answer: result.answer,
    agent: result.agent,
    citations: result.citations,
    askedAt: dependencies.now().toISOString(),
    apiKeyId: principal.keyId,
  });
}

/** The stored conversation of an analysis. */
export async function listQuestions(
  dependencies: ServiceDependencies,
  { defectId, principal }: { defectId: string; principal: Principal },
): Promise<StoredExchange[]> {
  await getAnalysis(dependencies, { defectId, principal });
  return dependencies.store.listExchanges({ defectId });
}

/** The facility a scoped key may query: its own; asking for another is forbidden. */
export function scopedFacility<T extends string>(
  principal: Principal,
  requested: T | undefined,
): T | undefined {
  if (!principal.facility) return requested;
  if (requested && requested !== principal.facility) {
    throw new ForbiddenError(`this API key is scoped to ${principal.facility}`);
  }
  return principal.facility as T;
}
