import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/index.ts';
import { createHashingEmbedder } from '../embedding/hashing-embedder.ts';
import { describeKnowledgeBaseContract } from '../testing/knowledge-base-contract.ts';
import { FIXTURE_SOURCES, fixtureDocument, indexedDocuments } from '../testing/fixtures.ts';
import { parseDocument } from '../documents/parse.ts';
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

describeKnowledgeBaseContract('embedded (in memory, filters through the int8 scan)', async () => {
  const embedder = createHashingEmbedder({ dimensions: 128 });
  const knowledgeBase = await openEmbeddedKnowledgeBase({ directory: ':memory:', embedder, exactScanMax: 0 });
  return { knowledgeBase, embedder, cleanup: () => knowledgeBase.close() };
});

describeKnowledgeBaseContract('embedded (in memory, HNSW, filters through HNSW)', async () => {
  const embedder = createHashingEmbedder({ dimensions: 128 });
  const knowledgeBase = await openEmbeddedKnowledgeBase({
    directory: ':memory:',
    embedder,
    exactScanMax: 0,
    flatScanMax: 0,
  });
  return { knowledgeBase, embedder, cleanup: () => knowledgeBase.close() };
});

describe('embedded knowledge base on disk', () => {
  async function seeded(directory: string) {
    const embedder = createHashingEmbedder({ dimensions: 256 });
    const knowledgeBase = await openEmbeddedKnowledgeBase({ directory, embedder, flatScanMax: 0 });
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
      const reopened = await openEmbeddedKnowledgeBase({ directory, embedder, flatScanMax: 0 });
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
      const reopened = await openEmbeddedKnowledgeBase({ directory, embedder, flatScanMax: 0 });
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

  it('keeps the last version of a document written twice in one batch', async () => {
    const embedder = createHashingEmbedder({ dimensions: 128 });
    const knowledgeBase = await openEmbeddedKnowledgeBase({ directory: ':memory:', embedder });
    const changed = FIXTURE_SOURCES.handle.replace('cracked handles', 'cracked handles and sink marks');
    await knowledgeBase.upsertDocuments({
      documents: await indexedDocuments(
        [fixtureDocument('handle'), fixtureDocument('handle', changed)],
        embedder,
      ),
      embedderId: embedder.id,
    });
    const description = await knowledgeBase.describe();
    expect(description.documents).toBe(1);
    const passages = await knowledgeBase.retrieve({ query: 'sink marks cracked handles', k: 5 });
    expect(passages).toHaveLength(description.chunks);
    expect(passages.every((passage) => passage.content.text.includes('sink marks'))).toBe(true);
    await knowledgeBase.close();
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

describe('Chinese and mixed-language queries', () => {
  const LEARNED = `---
id: DEF-20261201-00C0FFEE
doc_type: past_defect
title: Blade scratch on WK-SC-200 at blade glazing (major, reviewed case)
date: 2026-12-01
facility: shenzhen
product_sku: WK-SC-200
stage: blade_glazing
defect_type: blade_scratch
severity: major
analysis_id: DEF-20261201-00C0FFEE
review_state: confirmed
confirmed_by: qe-lead
root_cause:
  category_6m: machine
  occurrence: 夹具定位销磨损，剪刀在抛光时晃动。
  escape: 目检光源不足。
  systemic: 没有定位销的更换周期。
actions:
  - type: corrective
    description: 更换定位销并加入每周点检。
    owner_role: Maintenance lead
---
# Blade scratch on WK-SC-200 at blade glazing

## Description
剪刀刃面出现长划痕，20把中有6把，夹具定位销磨损导致工件晃动。
`;

  async function seeded() {
    const embedder = createHashingEmbedder({ dimensions: 256 });
    const knowledgeBase = await openEmbeddedKnowledgeBase({ directory: ':memory:', embedder });
    const documents = [
      ...(['rust', 'scratch', 'sop', 'handle'] as const).map((key) => fixtureDocument(key)),
      parseDocument({ file: 'learned.md', source: LEARNED }),
    ];
    await knowledgeBase.upsertDocuments({
      documents: await indexedDocuments(documents, embedder),
      embedderId: embedder.id,
    });
    return knowledgeBase;
  }

  it('finds the English corpus from a Chinese query through the glossary, on every search type', async () => {
    const knowledgeBase = await seeded();
    for (const searchType of ['lexical', 'semantic', 'hybrid'] as const) {
      const rust = await knowledgeBase.retrieve({
        query: '刀根附近出现橙褐色斑点，真空淬火后',
        k: 1,
        searchType,
      });
      expect(rust[0]?.metadata.source_id, searchType).toBe('DEF-20240314-3FA2B91C');
      const handle = await knowledgeBase.retrieve({ query: '手柄开裂', k: 1, searchType });
      expect(handle[0]?.metadata.source_id, searchType).toBe('SOP-HI-01');
    }
    await knowledgeBase.close();
  });

  it('finds mixed-language queries by both their English and their Chinese words', async () => {
    const knowledgeBase = await seeded();
    const passages = await knowledgeBase.retrieve({ query: 'leak rate 超标 before the 淬火 run', k: 1 });
    expect(passages[0]?.metadata.source_id).toBe('SOP-VQ-01');
    await knowledgeBase.close();
  });

  it('indexes the Chinese text of a confirmed case, so Chinese words outside the glossary find it', async () => {
    const knowledgeBase = await seeded();
    const passages = await knowledgeBase.retrieve({ query: '定位销磨损', k: 1, searchType: 'lexical' });
    expect(passages[0]?.metadata.source_id).toBe('DEF-20261201-00C0FFEE');
    expect(passages[0]?.content.text).toContain('夹具定位销磨损');
    await knowledgeBase.close();
  });
});

describe('diversity (maximal marginal relevance)', () => {
  it('lets a different passage ahead of a near-duplicate of one already ranked, scores still best first', async () => {
    const embedder = createHashingEmbedder({ dimensions: 256 });
    const copy = FIXTURE_SOURCES.rust
      .replace('id: DEF-20240314-3FA2B91C', 'id: DEF-20240315-3FA2B91D')
      .replace('Fourteen chef knives', 'Fifteen chef knives');
    const documents = [
      fixtureDocument('rust'),
      fixtureDocument('rust', copy),
      fixtureDocument('sop'),
      fixtureDocument('scratch'),
    ];
    const ranked = async (diversity: number) => {
      const knowledgeBase = await openEmbeddedKnowledgeBase({ directory: ':memory:', embedder, diversity });
      await knowledgeBase.upsertDocuments({
        documents: await indexedDocuments(documents, embedder),
        embedderId: embedder.id,
      });
      const passages = await knowledgeBase.retrieve({ query: 'rust spots after a slow vacuum quench', k: 6 });
      await knowledgeBase.close();
      return passages;
    };
    const plain = await ranked(1);
    const diverse = await ranked(0.3);
    const firstSop = (passages: typeof plain) =>
      passages.findIndex((passage) => passage.metadata.source_id === 'SOP-VQ-01');
    expect(firstSop(diverse)).toBeGreaterThanOrEqual(0);
    expect(firstSop(diverse)).toBeLessThan(firstSop(plain) < 0 ? 99 : firstSop(plain));
    const scores = diverse.map((passage) => passage.score);
    expect(scores).toEqual([...scores].sort((left, right) => right - left));
  });
});
