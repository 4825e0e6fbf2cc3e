import { createInMemoryDefectHistory } from '../../../action-groups/recurrence/defect-history.ts';
import {
  openEmbeddedKnowledgeBase,
  type EmbeddedKnowledgeBase,
} from '../../../knowledge-base/embedded/embedded-knowledge-base.ts';
import type { Embedder } from '../../../knowledge-base/embedding/embedder.ts';
import { ingestCorpus } from '../../../knowledge-base/ingest.ts';
import { createDefaultEmbedder } from '../../../knowledge-base/open.ts';
import type { ClassifierSource } from '../../models/offline/classifier/classifier.ts';
import { createOfflineModel } from '../../models/offline/offline-model.ts';
import { createOrchestrator, type Orchestrator } from '../../orchestrator/orchestrator.ts';
import { createRuleRouter } from '../../orchestrator/router.ts';
import { createLocalRuntime } from '../../runtime/local-runtime.ts';

/** The embedded default on a folder of its own: the corpus ingested, the offline model, one orchestrator. */
export interface OfflineSystem {
  knowledgeBase: EmbeddedKnowledgeBase;
  embedder: Embedder;
  orchestrator: Orchestrator;
  close(): Promise<void>;
}

/**
 * Opens an embedded knowledge base in `directory` (a temporary folder, never the service's data
 * folder), ingests the corpus into it, and wires the offline model with `classifier` over it.
 */
export async function openOfflineSystem({
  directory,
  classifier,
  corpusDir = 'knowledge-base/corpus',
  now = () => new Date('2026-12-01T08:00:00Z'),
}: {
  directory: string;
  classifier?: ClassifierSource;
  corpusDir?: string;
  now?: () => Date;
}): Promise<OfflineSystem> {
  const embedder = await createDefaultEmbedder({ dimensions: 384 });
  const knowledgeBase = await openEmbeddedKnowledgeBase({ directory, embedder });
  await ingestCorpus({ corpusDir, knowledgeBase, embedder });
  const runtime = createLocalRuntime({
    model: createOfflineModel(classifier ? { classifier } : {}),
    toolContext: { knowledgeBase, defectHistory: createInMemoryDefectHistory(), now },
  });
  const orchestrator = createOrchestrator({ runtime, knowledgeBase, router: createRuleRouter(), now });
  return { knowledgeBase, embedder, orchestrator, close: () => knowledgeBase.close() };
}
