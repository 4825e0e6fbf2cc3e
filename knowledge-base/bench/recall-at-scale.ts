import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import {
  openEmbeddedKnowledgeBase,
  type EmbeddedKnowledgeBase,
  type EmbeddedKnowledgeBaseConfig,
} from '../embedded/embedded-knowledge-base.ts';
import type { Embedder } from '../embedding/embedder.ts';
import type { GoldQuery } from '../eval/retrieval-eval.ts';
import type { RetrievalFilter, SearchType } from '../knowledge-base.ts';
import { buildDistractedCorpus, originalOf, type DistractedDocument } from './distracted-corpus.ts';
import type { Facility } from '../../domain/index.ts';
import type { KnowledgeDocument } from '../documents/schema.ts';

/** Latency percentiles of one kind of query, in milliseconds. */
export interface Latency {
  p50: number;
  p99: number;
}

/** What the recall-at-scale benchmark measures at one size. */
export interface ScaleResult {
  chunks: number;
  /** Chunks per second of the build (embedding, SQLite, search structures, flush). */
  ingestChunksPerSecond: number;
  ingestSeconds: number;
  /** Whether the index was reused from the cache folder (the ingest figures are then the cached build's). */
  cached: boolean;
  openSeconds: number;
  recallAt5: Record<SearchType, number>;
  latency: { hybrid: Latency; filtered: Latency; lexical: Latency; semantic: Latency };
}

function percentile(sorted: readonly number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? Number.NaN;
}

const RECALL_PASSAGES = 30;

/**
 * Document-level recall@5 of the gold queries on the distracted corpus: passages collapsed to
 * their documents in rank order as `kb:eval` does, a copy counting as the document it copies
 * (so a copy of a relevant document is relevant, and five copies of one are one document).
 */
async function recallAt5({
  knowledgeBase,
  gold,
  searchType,
}: {
  knowledgeBase: EmbeddedKnowledgeBase;
  gold: readonly GoldQuery[];
  searchType: SearchType;
}): Promise<number> {
  let recall = 0;
  for (const { query, relevant } of gold) {
    const passages = await knowledgeBase.retrieve({ query, k: RECALL_PASSAGES, searchType });
    const top5 = [...new Set(passages.map((passage) => originalOf(passage.metadata.source_id)))].slice(0, 5);
    recall += relevant.filter((id) => top5.includes(id)).length / relevant.length;
  }
  return recall / Math.max(1, gold.length);
}

async function build({
  knowledgeBase,
  corpus,
  embedder,
  label,
}: {
  knowledgeBase: EmbeddedKnowledgeBase;
  corpus: readonly DistractedDocument[];
  embedder: Embedder;
  label: string;
}): Promise<{ chunks: number; seconds: number }> {
  const total = corpus.reduce((sum, document) => sum + document.chunks.length, 0);
  const showBar = process.stderr.isTTY && total >= 5000;
  const bar = new cliProgress.SingleBar(
    { format: ` ${label} [{bar}] {value}/{total} chunks, {eta_formatted} left`, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  if (showBar) bar.start(total, 0);
  const started = performance.now();
  let indexed = 0;
  const batchSize = 512;
  for (let start = 0; start < corpus.length; start += batchSize) {
    const batch = corpus.slice(start, start + batchSize);
    const vectors = await embedder.embed({
      texts: batch.flatMap((document) => document.chunks.map((chunk) => chunk.indexedText)),
    });
    let offset = 0;
    await knowledgeBase.upsertDocuments({
      embedderId: embedder.id,
      documents: batch.map((document) => {
        const slice = vectors.slice(offset, offset + document.chunks.length);
        offset += document.chunks.length;
        indexed += document.chunks.length;
        return {
          sourceId: document.sourceId,
          docType: document.docType,
          contentHash: document.contentHash,
          chunks: document.chunks,
          vectors: slice,
        };
      }),
    });
    if (showBar) bar.update(indexed);
  }
  await knowledgeBase.flush();
  if (showBar) bar.stop();
  return { chunks: indexed, seconds: (performance.now() - started) / 1000 };
}

/**
 * Recall at scale (issue 17): the real corpus plus perturbed copies up to `size` chunks, the gold
 * queries of `kb:eval`, recall@5 of hybrid, lexical and vector retrieval next to the latencies
 * (k = 5, unfiltered and filtered by facility) and the build's chunks per second.
 *
 * With `cacheDir`, the built index is kept in `<cacheDir>/<size>-<seed>` and reused while its
 * schema and embedder match (the ingest figures are then those of the cached build).
 */
export async function benchRecallAtScale({
  documents,
  gold,
  embedder,
  size,
  seed,
  rounds,
  facility,
  cacheDir,
  rebuild,
  options = {},
}: {
  /** Settings of the knowledge base under test, for experiments (search breadth, fusion). */
  options?: Partial<Omit<EmbeddedKnowledgeBaseConfig, 'directory' | 'embedder'>>;
  documents: readonly KnowledgeDocument[];
  gold: readonly GoldQuery[];
  embedder: Embedder;
  size: number;
  seed: number;
  rounds: number;
  facility: Facility;
  cacheDir: string;
  rebuild: boolean;
}): Promise<ScaleResult> {
  const corpus = buildDistractedCorpus({ documents, size, seed });
  const directory = path.join(cacheDir, `${size}-${seed}`);
  const buildFile = path.join(directory, 'build.json');
  const reuse = !rebuild && existsSync(buildFile);
  if (!reuse) rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  const openStarted = performance.now();
  const knowledgeBase = await openEmbeddedKnowledgeBase({
    ...options,
    directory,
    embedder,
    retrievalCacheSize: 0,
  });
  const openSeconds = (performance.now() - openStarted) / 1000;
  try {
    let built: { chunks: number; seconds: number };
    const description = await knowledgeBase.describe();
    const cached = reuse && description.chunks > 0 && description.embedderId === embedder.id;
    if (cached) {
      built = JSON.parse(readFileSync(buildFile, 'utf8')) as { chunks: number; seconds: number };
    } else {
      await knowledgeBase.clear();
      built = await build({ knowledgeBase, corpus, embedder, label: `build ${size}` });
      writeFileSync(buildFile, JSON.stringify(built));
    }
    const recall = {} as Record<SearchType, number>;
    for (const searchType of ['hybrid', 'lexical', 'semantic'] as const) {
      recall[searchType] = await recallAt5({ knowledgeBase, gold, searchType });
    }
    const kinds: Array<{
      name: keyof ScaleResult['latency'];
      searchType: SearchType;
      filter?: RetrievalFilter;
    }> = [
      { name: 'hybrid', searchType: 'hybrid' },
      { name: 'filtered', searchType: 'hybrid', filter: { facility } },
      { name: 'lexical', searchType: 'lexical' },
      { name: 'semantic', searchType: 'semantic' },
    ];
    const samples = new Map(kinds.map((kind) => [kind.name, [] as number[]]));
    for (let round = 0; round <= rounds; round += 1) {
      for (const { query } of gold) {
        for (const kind of kinds) {
          const begin = performance.now();
          await knowledgeBase.retrieve({ query, k: 5, searchType: kind.searchType, filter: kind.filter });
          // The first round warms up.
          if (round > 0) samples.get(kind.name)?.push(performance.now() - begin);
        }
      }
    }
    const latency = Object.fromEntries(
      kinds.map(({ name }) => {
        const sorted = (samples.get(name) ?? []).sort((left, right) => left - right);
        return [name, { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) }];
      }),
    ) as ScaleResult['latency'];
    return {
      chunks: built.chunks,
      ingestSeconds: built.seconds,
      ingestChunksPerSecond: built.chunks / built.seconds,
      cached,
      openSeconds,
      recallAt5: recall,
      latency,
    };
  } finally {
    await knowledgeBase.close();
  }
}
