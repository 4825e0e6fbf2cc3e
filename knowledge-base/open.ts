import path from 'node:path';
import type { AppConfig } from '../domain/index.ts';
import { openEmbeddedKnowledgeBase, type EmbeddedKnowledgeBase } from './embedded/embedded-knowledge-base.ts';
import { createHashingEmbedder } from './embedding/hashing-embedder.ts';
import type { Embedder } from './embedding/embedder.ts';
import { readWordStatistics } from './embedding/word-statistics.ts';

/** The default embedder: hashing, IDF-weighted with the statistics fitted on the shipped corpus. */
export async function createDefaultEmbedder({ dimensions }: { dimensions: number }): Promise<Embedder> {
  return createHashingEmbedder({ dimensions, wordStatistics: await readWordStatistics() });
}

/** Opens the knowledge base and embedder the configuration selects. */
export async function openConfiguredKnowledgeBase(
  config: Pick<AppConfig, 'dataDir' | 'knowledgeBase' | 'embeddingDimensions'>,
): Promise<{ knowledgeBase: EmbeddedKnowledgeBase; embedder: Embedder }> {
  const embedder = await createDefaultEmbedder({ dimensions: config.embeddingDimensions });
  const knowledgeBase = await openEmbeddedKnowledgeBase({
    directory: path.join(config.dataDir, 'knowledge'),
    embedder,
  });
  return { knowledgeBase, embedder };
}
