import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/index.ts';
import type { Embedder } from '../embedding/embedder.ts';
import type { KnowledgeBase, KnowledgeBaseIndex } from '../knowledge-base.ts';
import { FIXTURE_SOURCES, fixtureDocument, indexedDocuments } from './fixtures.ts';

/** What a contract run needs from an adapter. */
export interface KnowledgeBaseUnderTest {
  knowledgeBase: KnowledgeBase & KnowledgeBaseIndex;
  embedder: Embedder;
  cleanup(): Promise<void>;
}

/** What an adapter cannot do, so that the contract checks it refuses clearly instead. */
export interface KnowledgeBaseCapabilities {
  /** BM25-only search; when false, `searchType: 'lexical'` must be a ValidationError. */
  lexicalSearch?: boolean;
  /**
   * `ranking: 'varied'` moves a near-duplicate of a better-ranked passage down; when false the
   * adapter ignores `ranking`, and both rankings must return the same passages.
   */
  variedRanking?: boolean;
}

/**
 * The KnowledgeBase contract: every adapter (embedded, OpenSearch, Bedrock, …) must pass it.
 * `create` returns an empty knowledge base. Writes must be searchable once `flush()` resolves.
 */
export function describeKnowledgeBaseContract(
  name: string,
  create: () => Promise<KnowledgeBaseUnderTest>,
  capabilities: KnowledgeBaseCapabilities = {},
): void {
  const { lexicalSearch = true, variedRanking = true } = capabilities;
  const searchTypes = lexicalSearch
    ? (['hybrid', 'semantic', 'lexical'] as const)
    : (['hybrid', 'semantic'] as const);
  describe(`KnowledgeBase contract: ${name}`, () => {
    let subject: KnowledgeBaseUnderTest;
    let knowledgeBase: KnowledgeBase & KnowledgeBaseIndex;

    beforeEach(async () => {
      subject = await create();
      knowledgeBase = subject.knowledgeBase;
      const documents = (['rust', 'scratch', 'sop', 'handle'] as const).map((key) => fixtureDocument(key));
      await knowledgeBase.upsertDocuments({
        documents: await indexedDocuments(documents, subject.embedder),
        embedderId: subject.embedder.id,
      });
      await knowledgeBase.flush();
    });

    afterEach(async () => {
      await subject.cleanup();
    });

    it('returns passages in the Retrieve shape, best first, at most k', async () => {
      const passages = await knowledgeBase.retrieve({ query: 'orange rust spots after quench', k: 3 });
      expect(passages.length).toBeGreaterThan(0);
      expect(passages.length).toBeLessThanOrEqual(3);
      const [first] = passages;
      expect(first?.content.type).toBe('TEXT');
      expect(first?.content.text.length).toBeGreaterThan(10);
      expect(first?.location).toEqual({
        type: 'CUSTOM',
        customDocumentLocation: { id: first?.metadata.source_id },
      });
      expect(first?.metadata.chunk_id.startsWith(`${first?.metadata.source_id}#`)).toBe(true);
      const scores = passages.map((passage) => passage.score);
      expect([...scores].sort((left, right) => right - left)).toEqual(scores);
    });

    it.each(searchTypes)('finds the relevant document with %s search', async (searchType) => {
      const rust = await knowledgeBase.retrieve({
        query: 'rust spots near the bolster, slow quench',
        k: 2,
        searchType,
      });
      expect(rust[0]?.metadata.source_id).toBe('DEF-20240314-3FA2B91C');
      const scratch = await knowledgeBase.retrieve({
        query: 'scratches on glazed paring knife',
        k: 2,
        searchType,
      });
      expect(scratch[0]?.metadata.source_id).toBe('DEF-20250102-0BADCAFE');
    });

    it('filters on doc type, stage, defect type, facility and SKU', async () => {
      const query = 'quench rust scratch handle mould';
      const sources = async (filter: Parameters<KnowledgeBase['retrieve']>[0]['filter']) =>
        new Set(
          (await knowledgeBase.retrieve({ query, k: 20, filter })).map(
            (passage) => passage.metadata.source_id,
          ),
        );
      expect(await sources({ doc_type: 'sop' })).toEqual(new Set(['SOP-VQ-01', 'SOP-HI-01']));
      expect(await sources({ stage: 'vacuum_quench' })).toEqual(
        new Set(['DEF-20240314-3FA2B91C', 'SOP-VQ-01']),
      );
      expect(await sources({ defect_type: 'handle_crack' })).toEqual(new Set(['SOP-HI-01']));
      expect(await sources({ facility: 'hongkong' })).toEqual(new Set(['SOP-HI-01']));
      expect(await sources({ product_sku: 'WK-KN-100' })).toEqual(new Set(['DEF-20250102-0BADCAFE']));
      expect(await sources({ doc_type: 'past_defect', facility: 'yangjiang' })).toEqual(
        new Set(['DEF-20240314-3FA2B91C']),
      );
      expect(await sources({ stage: 'logo_print' })).toEqual(new Set());
    });

    it.skipIf(lexicalSearch)('refuses lexical search with a ValidationError', async () => {
      await expect(
        knowledgeBase.retrieve({ query: 'rust spots', searchType: 'lexical' }),
      ).rejects.toBeInstanceOf(ValidationError);
    });

    it('rejects a bad k or an empty query with a ValidationError', async () => {
      await expect(knowledgeBase.retrieve({ query: 'rust', k: 0 })).rejects.toBeInstanceOf(ValidationError);
      await expect(knowledgeBase.retrieve({ query: 'rust', k: 101 })).rejects.toBeInstanceOf(ValidationError);
      await expect(knowledgeBase.retrieve({ query: '   ' })).rejects.toBeInstanceOf(ValidationError);
    });

    it(
      variedRanking
        ? "ranks a near-duplicate lower with ranking 'varied' than with 'similar'"
        : "returns the same passages with ranking 'varied' and 'similar'",
      async () => {
        const copy = FIXTURE_SOURCES.rust
          .replace('id: DEF-20240314-3FA2B91C', 'id: DEF-20240315-3FA2B91D')
          .replace('Fourteen chef knives', 'Fifteen chef knives');
        await knowledgeBase.upsertDocuments({
          documents: await indexedDocuments([fixtureDocument('rust', copy)], subject.embedder),
          embedderId: subject.embedder.id,
        });
        await knowledgeBase.flush();
        const query = 'rust spots after a slow vacuum quench';
        const similar = await knowledgeBase.retrieve({ query, k: 6, ranking: 'similar' });
        const varied = await knowledgeBase.retrieve({ query, k: 6, ranking: 'varied' });
        const byDefault = await knowledgeBase.retrieve({ query, k: 6 });
        const sources = (passages: typeof similar) => passages.map((passage) => passage.metadata.source_id);
        expect(sources(byDefault)).toEqual(sources(varied));
        if (!variedRanking) {
          expect(sources(varied)).toEqual(sources(similar));
          return;
        }
        // The copy of the top passage: the same section of the other record.
        const copyOfTop = (passages: typeof similar) => {
          const [source, section] = (passages[0]?.metadata.chunk_id ?? '#').split('#');
          const other =
            source === 'DEF-20240314-3FA2B91C' ? 'DEF-20240315-3FA2B91D' : 'DEF-20240314-3FA2B91C';
          return passages.findIndex((passage) => passage.metadata.chunk_id === `${other}#${section}`);
        };
        expect(sources(similar)[0]).toMatch(/^DEF-2024031[45]-3FA2B91[CD]$/);
        expect(copyOfTop(similar)).toBe(1);
        expect(copyOfTop(varied) === -1 || copyOfTop(varied) > 1).toBe(true);
        for (const passages of [similar, varied]) {
          const scores = passages.map((passage) => passage.score);
          expect([...scores].sort((left, right) => right - left)).toEqual(scores);
        }
      },
    );

    it('treats query syntax characters as plain text', async () => {
      const passages = await knowledgeBase.retrieve({ query: 'rust" OR NEAR(seal* AND ^quench) -- ;', k: 3 });
      expect(passages[0]?.metadata.source_id).toBe('DEF-20240314-3FA2B91C');
      await expect(knowledgeBase.retrieve({ query: '*** "" ()', k: 3 })).resolves.toBeInstanceOf(Array);
    });

    it('lists documents with their content hashes', async () => {
      const listed = await knowledgeBase.listDocuments();
      expect(listed.map((document) => document.sourceId).sort()).toEqual(
        ['DEF-20240314-3FA2B91C', 'DEF-20250102-0BADCAFE', 'SOP-HI-01', 'SOP-VQ-01'].sort(),
      );
      expect(listed.find((document) => document.sourceId === 'SOP-VQ-01')?.contentHash).toBe(
        fixtureDocument('sop').contentHash,
      );
      expect((await knowledgeBase.describe()).documents).toBe(4);
    });

    it('replaces the chunks of an updated document', async () => {
      const changed = FIXTURE_SOURCES.handle.replace(
        'cracked handles',
        'cracked handles and sink marks from a cold tool',
      );
      const [document] = await indexedDocuments([fixtureDocument('handle', changed)], subject.embedder);
      await knowledgeBase.upsertDocuments({ documents: [document!], embedderId: subject.embedder.id });
      await knowledgeBase.flush();
      expect(
        (await knowledgeBase.listDocuments()).find((listed) => listed.sourceId === 'SOP-HI-01')?.contentHash,
      ).toBe(document?.contentHash);
      const passages = await knowledgeBase.retrieve({
        query: 'sink marks cold tool',
        k: 5,
        filter: { doc_type: 'sop' },
      });
      const handle = passages.filter((passage) => passage.metadata.source_id === 'SOP-HI-01');
      expect(handle).toHaveLength(1);
      expect(handle[0]?.content.text).toContain('sink marks');
    });

    it('removes documents', async () => {
      await knowledgeBase.removeDocuments({ sourceIds: ['DEF-20240314-3FA2B91C'] });
      await knowledgeBase.flush();
      const passages = await knowledgeBase.retrieve({ query: 'orange rust spots bolster', k: 10 });
      expect(passages.map((passage) => passage.metadata.source_id)).not.toContain('DEF-20240314-3FA2B91C');
      expect((await knowledgeBase.listDocuments()).length).toBe(3);
    });

    it('returns passages by chunk id, leaving out unknown ids', async () => {
      const passages = await knowledgeBase.getPassages({
        chunkIds: ['SOP-VQ-01#reaction-plan', 'nope#nothing', 'DEF-20240314-3FA2B91C#description'],
      });
      expect(passages.map((passage) => passage.metadata.chunk_id)).toEqual([
        'SOP-VQ-01#reaction-plan',
        'DEF-20240314-3FA2B91C#description',
      ]);
    });

    it('clears everything', async () => {
      await knowledgeBase.clear();
      await knowledgeBase.flush();
      expect(await knowledgeBase.listDocuments()).toEqual([]);
      expect(await knowledgeBase.retrieve({ query: 'rust', k: 5 })).toEqual([]);
    });
  });
}
