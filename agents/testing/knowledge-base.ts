import {
  openEmbeddedKnowledgeBase,
  type EmbeddedKnowledgeBase,
} from '../../knowledge-base/embedded/embedded-knowledge-base.ts';
import { createHashingEmbedder } from '../../knowledge-base/embedding/hashing-embedder.ts';
import { fixtureDocument, indexedDocuments } from '../../knowledge-base/testing/fixtures.ts';

/**
 * An in-memory knowledge base holding the four fixture documents (a rust defect, a scratch
 * defect, the vacuum-quench SOP and the handle SOP), so that the chunk ids cited by the outputs
 * of `testing/outputs.ts` resolve, except `NOT-A-PASSAGE#x`.
 */
export async function fixtureKnowledgeBase(): Promise<EmbeddedKnowledgeBase> {
  const embedder = createHashingEmbedder({ dimensions: 128 });
  const knowledgeBase = await openEmbeddedKnowledgeBase({ directory: ':memory:', embedder });
  const documents = (['rust', 'scratch', 'sop', 'handle'] as const).map((key) => fixtureDocument(key));
  await knowledgeBase.upsertDocuments({
    documents: await indexedDocuments(documents, embedder),
    embedderId: embedder.id,
  });
  return knowledgeBase;
}
