import { createInMemoryDefectHistory } from '../../action-groups/recurrence/defect-history.ts';
import { createAgentSystem } from '../../agents/system.ts';
import { formatDefectId, type AppConfig } from '../../domain/index.ts';
import type { KnowledgeBase } from '../../knowledge-base/knowledge-base.ts';
import type { EvalTarget } from './target.ts';

/**
 * The in-process target: the configured agents over a knowledge base, no HTTP. Follow-up
 * questions go to the orchestrator's `ask`, each in a fresh session (no earlier exchanges).
 */
export function createLocalTarget({
  config,
  knowledgeBase,
  now = () => new Date(),
}: {
  config: AppConfig;
  knowledgeBase: KnowledgeBase;
  now?: () => Date;
}): EvalTarget {
  const { orchestrator, model } = createAgentSystem({
    config,
    knowledgeBase,
    defectHistory: createInMemoryDefectHistory(),
    now,
  });
  let counter = 0;
  return {
    name: 'local',
    model: model.id,
    async analyze({ report, signal }) {
      counter += 1;
      const bytes = new Uint8Array(4);
      new DataView(bytes.buffer).setUint32(0, counter);
      return orchestrator.analyze({
        defectId: formatDefectId({ date: now(), randomBytes: bytes }),
        report,
        signal,
      });
    },
    async ask({ analysis, question, signal }) {
      const result = await orchestrator.ask({ analysis, history: [], question, signal });
      return { answer: result.answer, citations: result.citations.map((citation) => citation.chunk_id) };
    },
    async close() {},
  };
}
