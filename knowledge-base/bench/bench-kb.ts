import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { chunkDocument } from '../documents/chunk.ts';
import { openEmbeddedKnowledgeBase } from '../embedded/embedded-knowledge-base.ts';
import type { RetrievalFilter } from '../knowledge-base.ts';
import { createDefaultEmbedder } from '../open.ts';
import { generateQueries, generateSyntheticDocuments } from './synthetic-corpus.ts';

const USAGE = `Usage: npm run bench:kb -- [--scales 1000,100000] [--queries 500] [--dimensions 384]

Ingests a seeded synthetic corpus at each scale (chunks) into a fresh on-disk embedded
knowledge base, then measures hybrid query latency, with and without a metadata filter.`;

function percentile(sorted: readonly number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? Number.NaN;
}

async function benchScale({
  chunks,
  queries,
  dimensions,
}: {
  chunks: number;
  queries: number;
  dimensions: number;
}) {
  const directory = mkdtempSync(path.join(tmpdir(), 'bench-kb-'));
  const embedder = await createDefaultEmbedder({ dimensions });
  const knowledgeBase = await openEmbeddedKnowledgeBase({ directory, embedder, retrievalCacheSize: 0 });
  try {
    const documents = generateSyntheticDocuments({ count: Math.ceil(chunks / 5), seed: 42 });
    const bar = new cliProgress.SingleBar(
      { format: ` ingest ${chunks} [{bar}] {value}/{total} chunks`, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    const started = performance.now();
    let indexed = 0;
    bar.start(chunks, 0);
    for (let start = 0; start < documents.length; start += 200) {
      const batch = documents
        .slice(start, start + 200)
        .map((document) => ({ document, chunks: chunkDocument(document) }));
      const vectors = await embedder.embed({
        texts: batch.flatMap((entry) => entry.chunks.map((chunk) => chunk.indexedText)),
      });
      let offset = 0;
      await knowledgeBase.upsertDocuments({
        embedderId: embedder.id,
        documents: batch.map(({ document, chunks: documentChunks }) => {
          const slice = vectors.slice(offset, offset + documentChunks.length);
          offset += documentChunks.length;
          indexed += documentChunks.length;
          return {
            sourceId: document.metadata.id,
            docType: 'past_defect',
            contentHash: document.contentHash,
            chunks: documentChunks,
            vectors: slice,
          };
        }),
      });
      bar.update(Math.min(indexed, chunks));
    }
    await knowledgeBase.flush();
    bar.stop();
    const ingestSeconds = (performance.now() - started) / 1000;

    const texts = generateQueries({ count: queries + 20, seed: 7 });
    const measure = async (filter?: RetrievalFilter) => {
      for (const query of texts.slice(0, 20)) await knowledgeBase.retrieve({ query, k: 5, filter });
      const latencies: number[] = [];
      for (const query of texts.slice(20)) {
        const begin = performance.now();
        await knowledgeBase.retrieve({ query, k: 5, filter });
        latencies.push(performance.now() - begin);
      }
      latencies.sort((left, right) => left - right);
      return { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
    };
    const unfiltered = await measure();
    const filtered = await measure({ facility: 'shenzhen', defect_type: 'rust_spot' });
    return { chunks: indexed, ingestSeconds, chunksPerSecond: indexed / ingestSeconds, unfiltered, filtered };
  } finally {
    await knowledgeBase.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scales: { type: 'string', default: '1000,100000' },
      queries: { type: 'string', default: '500' },
      dimensions: { type: 'string', default: '384' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const scales = values.scales.split(',').map(Number);
  const rows: string[] = [];
  for (const chunks of scales) {
    const result = await benchScale({
      chunks,
      queries: Number(values.queries),
      dimensions: Number(values.dimensions),
    });
    rows.push(
      `| ${result.chunks.toLocaleString('en-US')} | ${result.ingestSeconds.toFixed(1)} s | ${Math.round(result.chunksPerSecond).toLocaleString('en-US')} | ` +
        `${result.unfiltered.p50.toFixed(2)} | ${result.unfiltered.p99.toFixed(2)} | ${result.filtered.p50.toFixed(2)} | ${result.filtered.p99.toFixed(2)} |`,
    );
  }
  console.log(
    `\nbench:kb, node ${process.version}, ${values.dimensions}-dim hashing embedder, hybrid k=5, ${values.queries} queries\n`,
  );
  console.log('| chunks | ingest | chunks/s | p50 ms | p99 ms | filtered p50 ms | filtered p99 ms |');
  console.log('|---|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
