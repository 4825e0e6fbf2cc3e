import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/index.ts';
import { createHashingEmbedder } from '../embedding/hashing-embedder.ts';
import { describeKnowledgeBaseContract } from '../testing/knowledge-base-contract.ts';
import { FIXTURE_SOURCES, fixtureDocument, indexedDocuments } from '../testing/fixtures.ts';
import { openEmbeddedKnowledgeBase } from './embedded-knowledge-base.ts';

describeKnowledgeBaseContract('embedded (SQLite file + usearch)', async () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'kb-contract-'));
  const embedder = createHashingEmbedder({ dimensions: 256 });
  const knowledgeBase = await openEmbeddedKnowledgeBase({ directory, embedder });
  return {
    knowledgeBase,
    embedder,
    async cleanup() {
      await knowledgeBase.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
});

describeKnowledgeBaseContract('embedded (in memory, filters through HNSW)', async () => {
  const embedder = createHashingEmbedder({ dimensions: 128 });
  const knowledgeBase = await openEmbeddedKnowledgeBase({ directory: ':memory:', embedder, exactScanMax: 0 });
  return { knowledgeBase, embedder, cleanup: () => knowledgeBase.close() };
});

describe('embedded knowledge base on disk', () => {
  async function seeded(directory: string) {
    const embedder = createHashingEmbedder({ dimensions: 256 });
    const knowledgeBase = await openEmbeddedKnowledgeBase({ directory, embedder });
    const documents = (['rust', 'scratch', 'sop', 'handle'] as const).map((key) => fixtureDocument(key));
    await knowledgeBase.upsertDocuments({
      documents: await indexedDocuments(documents, embedder),
      embedderId: embedder.id,
    });
    return { knowledgeBase, embedder };
  }

  it('reloads the saved vector index and answers the same after a restart', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'kb-reopen-'));
    try {
      const { knowledgeBase, embedder } = await seeded(directory);
      const before = await knowledgeBase.retrieve({
        query: 'leak rate of the quench chamber',
        k: 4,
        searchType: 'semantic',
      });
      await knowledgeBase.close();
      const reopened = await openEmbeddedKnowledgeBase({ directory, embedder });
      const after = await reopened.retrieve({
        query: 'leak rate of the quench chamber',
        k: 4,
        searchType: 'semantic',
      });
      expect(after.map((passage) => passage.metadata.chunk_id)).toEqual(
        before.map((passage) => passage.metadata.chunk_id),
      );
      await reopened.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('rebuilds the vector index from stored embeddings when its file is missing', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'kb-rebuild-'));
    try {
      const { knowledgeBase, embedder } = await seeded(directory);
      await knowledgeBase.close();
      rmSync(path.join(directory, 'knowledge.usearch'));
      const reopened = await openEmbeddedKnowledgeBase({ directory, embedder });
      const passages = await reopened.retrieve({
        query: 'orange rust after slow quench',
        k: 1,
        searchType: 'semantic',
      });
      expect(passages[0]?.metadata.source_id).toBe('DEF-20240314-3FA2B91C');
      await reopened.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('serves repeated retrievals from its cache and never a stale one after a write', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'kb-cache-'));
    try {
      const { knowledgeBase, embedder } = await seeded(directory);
      const query = { query: 'sink marks from a cold tool', k: 3, filter: { doc_type: 'sop' as const } };
      const first = await knowledgeBase.retrieve(query);
      expect(await knowledgeBase.retrieve(query)).toEqual(first);
      expect(first.some((passage) => passage.content.text.includes('sink marks'))).toBe(false);
      const changed = FIXTURE_SOURCES.handle.replace(
        'cracked handles',
        'cracked handles and sink marks from a cold tool',
      );
      await knowledgeBase.upsertDocuments({
        documents: await indexedDocuments([fixtureDocument('handle', changed)], embedder),
        embedderId: embedder.id,
      });
      const after = await knowledgeBase.retrieve(query);
      expect(after.some((passage) => passage.content.text.includes('sink marks'))).toBe(true);
      await knowledgeBase.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('refuses vectors from another embedder', async () => {
    const embedder = createHashingEmbedder({ dimensions: 128 });
    const knowledgeBase = await openEmbeddedKnowledgeBase({ directory: ':memory:', embedder });
    const documents = await indexedDocuments([fixtureDocument('sop')], embedder);
    await expect(
      knowledgeBase.upsertDocuments({ documents, embedderId: 'other-embedder' }),
    ).rejects.toBeInstanceOf(ValidationError);
    await knowledgeBase.close();
  });
});
