import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/index.ts';
import { createHashingEmbedder } from '../embedding/hashing-embedder.ts';
import { describeKnowledgeBaseContract } from '../testing/knowledge-base-contract.ts';
import { FIXTURE_SOURCES, fixtureDocument, indexedDocuments } from '../testing/fixtures.ts';
import { parseDocument } from '../documents/parse.ts';
import { createClient, type Client, type InArgs, type InStatement } from '@libsql/client';
import { openEmbeddedKnowledgeBase, type EmbeddedKnowledgeBaseConfig } from './embedded-knowledge-base.ts';

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

describe('near-duplicates: collapsing and maximal marginal relevance', () => {
  it('both let a different passage ahead of a near-duplicate of one already ranked, scores still best first', async () => {
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
    const ranked = async (diversity: number, duplicateSimilarity = 1) => {
      const knowledgeBase = await openEmbeddedKnowledgeBase({
        directory: ':memory:',
        embedder,
        diversity,
        duplicateSimilarity,
      });
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
    const collapsed = await ranked(1, 0.6);
    const firstSop = (passages: typeof plain) =>
      passages.findIndex((passage) => passage.metadata.source_id === 'SOP-VQ-01');
    expect(firstSop(diverse)).toBeGreaterThanOrEqual(0);
    expect(firstSop(diverse)).toBeLessThan(firstSop(plain) < 0 ? 99 : firstSop(plain));
    for (const passages of [diverse, collapsed]) {
      const scores = passages.map((passage) => passage.score);
      expect(scores).toEqual([...scores].sort((left, right) => right - left));
    }
    expect(firstSop(collapsed)).toBeGreaterThanOrEqual(0);
    expect(firstSop(collapsed)).toBeLessThan(firstSop(plain) < 0 ? 99 : firstSop(plain));
  });

  it("applies similarRanking to ranking 'similar' only, and the top-level settings to 'varied'", async () => {
    const embedder = createHashingEmbedder({ dimensions: 256 });
    const copy = FIXTURE_SOURCES.rust
      .replace('id: DEF-20240314-3FA2B91C', 'id: DEF-20240315-3FA2B91D')
      .replace('Fourteen chef knives', 'Fifteen chef knives');
    const knowledgeBase = await openEmbeddedKnowledgeBase({
      directory: ':memory:',
      embedder,
      fusion: 'rrf',
      diversity: 1,
      duplicateSimilarity: 1,
      similarRanking: { duplicateSimilarity: 0.6 },
    });
    await knowledgeBase.upsertDocuments({
      documents: await indexedDocuments(
        [fixtureDocument('rust'), fixtureDocument('rust', copy), fixtureDocument('sop')],
        embedder,
      ),
      embedderId: embedder.id,
    });
    const query = 'rust spots after a slow vacuum quench';
    const sources = async (ranking: 'varied' | 'similar') =>
      (await knowledgeBase.retrieve({ query, k: 4, ranking })).map((passage) => passage.metadata.source_id);
    const varied = await sources('varied');
    const similar = await sources('similar');
    await knowledgeBase.close();
    expect(varied.filter((source) => source === 'SOP-VQ-01')).toHaveLength(0);
    expect(similar.filter((source) => source === 'SOP-VQ-01').length).toBeGreaterThan(0);
  });
});

describe('crowded-pool diversity (crowdedDiversity)', () => {
  const embedder = createHashingEmbedder({ dimensions: 256 });
  const query = 'rust spots after a slow vacuum quench';
  /** Copies of the rust record under other ids (a record entered several times). */
  const copies = [1, 2, 3].map((index) =>
    fixtureDocument(
      'rust',
      FIXTURE_SOURCES.rust
        .replace('id: DEF-20240314-3FA2B91C', `id: DEF-20240315-3FA2B91${index}`)
        .replace('Fourteen chef knives', `Fourteen chef knives (entry ${index})`),
    ),
  );
  const distinct = (['rust', 'scratch', 'sop', 'handle'] as const).map((key) => fixtureDocument(key));
  const crowded = [...distinct, ...copies];
  // The light setting is plain relevance; a crowded pool gets strong MMR and collapsing.
  const strong = { diversity: 0.3, duplicateSimilarity: 0.9 };
  const settings = { diversity: 1, duplicateSimilarity: 1 };
  const adaptive = { ...settings, crowdedDiversity: { window: 8, similarity: 0.9, share: 0.25, ...strong } };

  async function ranked(
    documents: ReturnType<typeof fixtureDocument>[],
    config: Partial<EmbeddedKnowledgeBaseConfig>,
  ): Promise<string[]> {
    const knowledgeBase = await openEmbeddedKnowledgeBase({ ...config, directory: ':memory:', embedder });
    try {
      await knowledgeBase.upsertDocuments({
        documents: await indexedDocuments(documents, embedder),
        embedderId: embedder.id,
      });
      const passages = await knowledgeBase.retrieve({ query, k: 6 });
      return passages.map((passage) => passage.metadata.chunk_id);
    } finally {
      await knowledgeBase.close();
    }
  }

  it('applies the stronger diversity to a pool crowded with near-copies', async () => {
    const plain = await ranked(crowded, settings);
    const pushed = await ranked(crowded, { ...settings, ...strong });
    expect(pushed).not.toEqual(plain);
    expect(await ranked(crowded, adaptive)).toEqual(pushed);
    // Its defaults: 5 or more near-copies (cosine 0.6) among the best 20, then MMR 0.7 / 0.6.
    const defaultStrong = await ranked(crowded, { ...settings, diversity: 0.7, duplicateSimilarity: 0.6 });
    expect(defaultStrong).not.toEqual(plain);
    expect(await ranked(crowded, { ...settings, crowdedDiversity: true })).toEqual(defaultStrong);
  });

  it('keeps the lighter diversity for a pool of distinct passages', async () => {
    const plain = await ranked(distinct, settings);
    expect(await ranked(distinct, { ...settings, ...strong })).not.toEqual(plain);
    expect(await ranked(distinct, adaptive)).toEqual(plain);
  });

  it('is on with its defaults in the default ranking, and off when set to false', async () => {
    const plain = await ranked(crowded, settings);
    expect(await ranked(crowded, { ...adaptive, crowdedDiversity: false })).toEqual(plain);
    expect(await ranked(crowded, {})).toEqual(await ranked(crowded, { crowdedDiversity: true }));
  });
});

describe('passage lookups (the passage cache)', () => {
  const HANDLE_CHUNK = 'SOP-HI-01#process-window';
  const ALL_CHUNKS = [
    'DEF-20240314-3FA2B91C#description',
    'DEF-20240314-3FA2B91C#confirmed-root-cause',
    'DEF-20250102-0BADCAFE#description',
    'DEF-20250102-0BADCAFE#investigation',
    'SOP-VQ-01#process-window',
    'SOP-VQ-01#reaction-plan',
    HANDLE_CHUNK,
  ];
  const CHANGED_HANDLE = FIXTURE_SOURCES.handle.replace(
    'cracked handles',
    'cracked handles and sink marks from a cold tool',
  );
  /** Another SOP, written after the handle SOP is deleted: SQLite gives its chunk the freed row id. */
  const OTHER_SOP = `---
id: SOP-GR-01
doc_type: sop
title: Grinding wheel dressing
stage: taper_grinding
defect_types: [blade_scratch]
revision: A
effective_date: 2025-01-01
owner_role: Grinding supervisor
facilities: [shenzhen]
---
# Grinding wheel dressing

## Dressing interval
Dress the wheel every 400 blades.
`;

  /**
   * A libsql client whose passage reads (`SELECT id, text, metadata ...`) overlap a write: after
   * `hold('rows')` they run at once but hand their rows back only on `release`; after
   * `hold('statement')` they run only on `release`.
   */
  function gatedClient(): { client: Client; hold(part: 'rows' | 'statement'): void; release(): void } {
    const inner = createClient({ url: ':memory:' });
    let gate: Promise<void> | null = null;
    let held: 'rows' | 'statement' = 'rows';
    let open = (): void => undefined;
    const client = new Proxy(inner, {
      get(target, property, receiver) {
        if (property !== 'execute') {
          const value: unknown = Reflect.get(target, property, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        }
        return async (statement: InStatement, args?: InArgs) => {
          const sql = typeof statement === 'string' ? statement : statement.sql;
          const waits = gate !== null && sql.startsWith('SELECT id, text, metadata') ? gate : null;
          if (waits && held === 'statement') await waits;
          const result = await (typeof statement === 'string'
            ? target.execute(statement, args)
            : target.execute(statement));
          if (waits && held === 'rows') await waits;
          return result;
        };
      },
    });
    return {
      client,
      hold(part) {
        held = part;
        gate = new Promise((resolve) => {
          open = resolve;
        });
      },
      release() {
        gate = null;
        open();
      },
    };
  }

  async function seeded(options: { passageCacheSize?: number; client?: Client } = {}) {
    const embedder = createHashingEmbedder({ dimensions: 128 });
    const knowledgeBase = await openEmbeddedKnowledgeBase({ directory: ':memory:', embedder, ...options });
    const documents = (['rust', 'scratch', 'sop', 'handle'] as const).map((key) => fixtureDocument(key));
    await knowledgeBase.upsertDocuments({
      documents: await indexedDocuments(documents, embedder),
      embedderId: embedder.id,
    });
    return { knowledgeBase, embedder };
  }

  async function handleText(knowledgeBase: Awaited<ReturnType<typeof seeded>>['knowledgeBase']) {
    const passages = await knowledgeBase.getPassages({ chunkIds: [HANDLE_CHUNK] });
    return passages.map((passage) => passage.content.text);
  }

  it('answers repeated lookups the same, in the order asked, unknown ids left out', async () => {
    const { knowledgeBase } = await seeded();
    const asked = ['SOP-VQ-01#reaction-plan', 'NOT-A-CHUNK#x', HANDLE_CHUNK, 'SOP-VQ-01#reaction-plan'];
    const first = await knowledgeBase.getPassages({ chunkIds: asked });
    expect(first.map((passage) => passage.metadata.chunk_id)).toEqual([
      'SOP-VQ-01#reaction-plan',
      HANDLE_CHUNK,
      'SOP-VQ-01#reaction-plan',
    ]);
    expect(await knowledgeBase.getPassages({ chunkIds: asked })).toStrictEqual(first);
    expect(await knowledgeBase.getPassages({ chunkIds: [] })).toEqual([]);
    await knowledgeBase.close();
  });

  it('never serves a passage changed by a write, through getPassages or retrieve', async () => {
    const { knowledgeBase, embedder } = await seeded();
    expect(await handleText(knowledgeBase)).toEqual([expect.not.stringContaining('sink marks')]);
    const query = { query: 'cooling time cracked handles', k: 1, searchType: 'lexical' as const };
    expect((await knowledgeBase.retrieve(query))[0]?.content.text).not.toContain('sink marks');
    await knowledgeBase.upsertDocuments({
      documents: await indexedDocuments([fixtureDocument('handle', CHANGED_HANDLE)], embedder),
      embedderId: embedder.id,
    });
    expect(await handleText(knowledgeBase)).toEqual([expect.stringContaining('sink marks')]);
    expect((await knowledgeBase.retrieve(query))[0]?.content.text).toContain('sink marks');
    await knowledgeBase.close();
  });

  it('never serves a passage deleted by removeDocuments or clear', async () => {
    const { knowledgeBase, embedder } = await seeded();
    expect(await knowledgeBase.getPassages({ chunkIds: ALL_CHUNKS })).toHaveLength(ALL_CHUNKS.length);
    await knowledgeBase.removeDocuments({ sourceIds: ['SOP-HI-01', 'SOP-VQ-01'] });
    const left = await knowledgeBase.getPassages({ chunkIds: ALL_CHUNKS });
    expect(left.map((passage) => passage.metadata.source_id)).toEqual([
      'DEF-20240314-3FA2B91C',
      'DEF-20240314-3FA2B91C',
      'DEF-20250102-0BADCAFE',
      'DEF-20250102-0BADCAFE',
    ]);
    await knowledgeBase.clear();
    expect(await knowledgeBase.getPassages({ chunkIds: ALL_CHUNKS })).toEqual([]);
    await knowledgeBase.upsertDocuments({
      documents: await indexedDocuments([fixtureDocument('handle', CHANGED_HANDLE)], embedder),
      embedderId: embedder.id,
    });
    expect(await handleText(knowledgeBase)).toEqual([expect.stringContaining('sink marks')]);
    await knowledgeBase.close();
  });

  it('serves the new chunk, not the deleted one, when SQLite reuses a deleted row id', async () => {
    const { knowledgeBase, embedder } = await seeded();
    // The handle SOP was written last, so its chunk has the highest row id, the one SQLite gives next.
    expect(await handleText(knowledgeBase)).toHaveLength(1);
    await knowledgeBase.removeDocuments({ sourceIds: ['SOP-HI-01'] });
    await knowledgeBase.upsertDocuments({
      documents: await indexedDocuments(
        [parseDocument({ file: 'grinding.md', source: OTHER_SOP })],
        embedder,
      ),
      embedderId: embedder.id,
    });
    expect(await handleText(knowledgeBase)).toEqual([]);
    const [grinding] = await knowledgeBase.getPassages({ chunkIds: ['SOP-GR-01#dressing-interval'] });
    expect(grinding?.content.text).toContain('every 400 blades');
    const [retrieved] = await knowledgeBase.retrieve({
      query: 'dress the wheel',
      k: 1,
      searchType: 'lexical',
    });
    expect(retrieved?.metadata.chunk_id).toBe('SOP-GR-01#dressing-interval');
    expect(retrieved?.content.text).toContain('every 400 blades');
    await knowledgeBase.close();
  });

  it('does not cache what a lookup read while a write replaced it', async () => {
    const gated = gatedClient();
    const { knowledgeBase, embedder } = await seeded({ client: gated.client });
    gated.hold('rows');
    const overlapping = handleText(knowledgeBase);
    // The handle SOP is the last document, so its rewritten chunk takes the same row id.
    await knowledgeBase.upsertDocuments({
      documents: await indexedDocuments([fixtureDocument('handle', CHANGED_HANDLE)], embedder),
      embedderId: embedder.id,
    });
    gated.release();
    expect(await overlapping).toEqual([expect.not.stringContaining('sink marks')]);
    expect(await handleText(knowledgeBase)).toEqual([expect.stringContaining('sink marks')]);
    await knowledgeBase.close();
  });

  it('leaves out a row whose id a write gave to another chunk while the lookup ran', async () => {
    const gated = gatedClient();
    const { knowledgeBase, embedder } = await seeded({ client: gated.client });
    gated.hold('statement');
    const overlapping = handleText(knowledgeBase);
    await knowledgeBase.removeDocuments({ sourceIds: ['SOP-HI-01'] });
    await knowledgeBase.upsertDocuments({
      documents: await indexedDocuments(
        [parseDocument({ file: 'grinding.md', source: OTHER_SOP })],
        embedder,
      ),
      embedderId: embedder.id,
    });
    gated.release();
    expect(await overlapping).toEqual([]);
    expect(await handleText(knowledgeBase)).toEqual([]);
    await knowledgeBase.close();
  });

  it('does not cache a retrieval that overlapped a write', async () => {
    const gated = gatedClient();
    const { knowledgeBase, embedder } = await seeded({ client: gated.client });
    const query = { query: 'cooling time cracked handles', k: 1, searchType: 'lexical' as const };
    gated.hold('rows');
    const overlapping = knowledgeBase.retrieve(query);
    await knowledgeBase.upsertDocuments({
      documents: await indexedDocuments([fixtureDocument('handle', CHANGED_HANDLE)], embedder),
      embedderId: embedder.id,
    });
    gated.release();
    expect((await overlapping)[0]?.content.text).not.toContain('sink marks');
    expect((await knowledgeBase.retrieve(query))[0]?.content.text).toContain('sink marks');
    await knowledgeBase.close();
  });

  it('stays correct with a cache smaller than the lookups, or none', async () => {
    for (const passageCacheSize of [0, 1, 3]) {
      const { knowledgeBase, embedder } = await seeded({ passageCacheSize });
      for (let round = 0; round < 2; round += 1) {
        const passages = await knowledgeBase.getPassages({ chunkIds: ALL_CHUNKS });
        expect(passages.map((passage) => passage.metadata.chunk_id)).toEqual(ALL_CHUNKS);
      }
      await knowledgeBase.upsertDocuments({
        documents: await indexedDocuments([fixtureDocument('handle', CHANGED_HANDLE)], embedder),
        embedderId: embedder.id,
      });
      expect(await handleText(knowledgeBase)).toEqual([expect.stringContaining('sink marks')]);
      await knowledgeBase.close();
    }
  });

  it('hands out passages that callers may change without changing what it serves next', async () => {
    const { knowledgeBase } = await seeded();
    const [first] = await knowledgeBase.getPassages({ chunkIds: ['SOP-VQ-01#reaction-plan'] });
    if (!first) throw new Error('the SOP passage is missing');
    const original = structuredClone(first);
    first.metadata.defect_types.push('handle_crack');
    first.metadata.facilities.length = 0;
    first.metadata.title = 'changed';
    first.content.text = 'changed';
    const [again] = await knowledgeBase.getPassages({ chunkIds: ['SOP-VQ-01#reaction-plan'] });
    expect(again).toStrictEqual(original);
    await knowledgeBase.close();
  });

  it('finds every passage by chunk id after a restart', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'kb-passages-'));
    try {
      const embedder = createHashingEmbedder({ dimensions: 128 });
      const knowledgeBase = await openEmbeddedKnowledgeBase({ directory, embedder });
      await knowledgeBase.upsertDocuments({
        documents: await indexedDocuments(
          (['rust', 'scratch', 'sop', 'handle'] as const).map((key) => fixtureDocument(key)),
          embedder,
        ),
        embedderId: embedder.id,
      });
      const before = await knowledgeBase.getPassages({ chunkIds: ALL_CHUNKS });
      await knowledgeBase.close();
      const reopened = await openEmbeddedKnowledgeBase({ directory, embedder });
      expect(await reopened.getPassages({ chunkIds: ALL_CHUNKS })).toStrictEqual(before);
      await reopened.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
