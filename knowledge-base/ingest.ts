import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { DocumentError, ValidationError } from '../domain/index.ts';
import { chunkDocument, type ChunkingOptions } from './documents/chunk.ts';
import { parseDocument } from './documents/parse.ts';
import type { KnowledgeDocument } from './documents/schema.ts';
import type { Embedder } from './embedding/embedder.ts';
import type { IndexedDocument, KnowledgeBase, KnowledgeBaseIndex } from './knowledge-base.ts';

/** Progress of an ingestion run, reported after every batch. */
export interface IngestProgress {
  phase: 'parse' | 'index';
  done: number;
  total: number;
}

/** What an ingestion run did. */
export interface IngestSummary {
  files: number;
  added: string[];
  updated: string[];
  unchanged: number;
  removed: string[];
  failed: Array<{ file: string; message: string }>;
  warnings: string[];
  chunksIndexed: number;
  durationMs: number;
}

/** The embedder id recorded when the knowledge base embeds chunks with its own model. */
export const KNOWLEDGE_BASE_MODEL = 'knowledge-base-model';

/** Parameters of {@link ingestCorpus}. */
export interface IngestParams {
  corpusDir: string;
  knowledgeBase: KnowledgeBase & KnowledgeBaseIndex;
  /** Embeds the chunks; null only for a knowledge base that embeds them itself (`embedsChunks`). */
  embedder: Embedder | null;
  chunking?: ChunkingOptions;
  /** Documents embedded and written per transaction. 64 by default. */
  batchSize?: number;
  onProgress?: (progress: IngestProgress) => void;
  /** Injected clock, for deterministic durations in tests. */
  now?: () => number;
}

/** Parameters of {@link indexDocuments}. */
export interface IndexDocumentsParams {
  documents: readonly KnowledgeDocument[];
  knowledgeBase: KnowledgeBaseIndex;
  /** Embeds the chunks; null (or ignored) for a knowledge base that embeds them itself (`embedsChunks`). */
  embedder: Embedder | null;
  chunking?: ChunkingOptions;
}

/**
 * Chunks, embeds and upserts parsed documents in one write (replacing any earlier version of
 * each); returns the number of chunks written. It does not flush: call `flush()` to persist.
 * Ingestion runs it per batch; the learning loop per learned record.
 */
export async function indexDocuments(params: IndexDocumentsParams): Promise<number> {
  const { documents, knowledgeBase } = params;
  const embedder = knowledgeBase.embedsChunks ? null : params.embedder;
  if (!embedder && !knowledgeBase.embedsChunks) {
    throw new ValidationError('this knowledge base needs an embedder to index documents');
  }
  const prepared = documents.map((document) => ({
    document,
    chunks: chunkDocument(document, params.chunking),
  }));
  const vectors = !embedder
    ? []
    : await embedder.embed({
        texts: prepared.flatMap(({ chunks }) => chunks.map((chunk) => chunk.indexedText)),
      });
  let offset = 0;
  let chunkCount = 0;
  const indexedDocuments: IndexedDocument[] = prepared.map(({ document, chunks }) => {
    const documentVectors = vectors.slice(offset, offset + chunks.length);
    offset += chunks.length;
    chunkCount += chunks.length;
    return {
      sourceId: document.metadata.id,
      docType: document.kind,
      contentHash: document.contentHash,
      chunks,
      vectors: documentVectors,
    };
  });
  await knowledgeBase.upsertDocuments({
    documents: indexedDocuments,
    embedderId: embedder?.id ?? KNOWLEDGE_BASE_MODEL,
  });
  return chunkCount;
}

async function listMarkdownFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  return entries
    .filter(
      (entry) => entry.isFile() && entry.name.endsWith('.md') && entry.name.toLowerCase() !== 'readme.md',
    )
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/**
 * Parses, chunks, embeds and indexes the corpus. Idempotent by content hash: unchanged files
 * are skipped, changed ones re-indexed, deleted ones removed. A malformed file is reported in
 * `failed` and the others are still ingested; nothing is removed while any file failed, since
 * a failed file's document cannot be told apart from a deleted one.
 */
export async function ingestCorpus(params: IngestParams): Promise<IngestSummary> {
  const { corpusDir, knowledgeBase, onProgress } = params;
  const embedder = knowledgeBase.embedsChunks ? null : params.embedder;
  if (!embedder && !knowledgeBase.embedsChunks) {
    throw new ValidationError('this knowledge base needs an embedder to ingest the corpus');
  }
  const embedderId = embedder?.id ?? KNOWLEDGE_BASE_MODEL;
  const now = params.now ?? (() => performance.now());
  const batchSize = params.batchSize ?? 64;
  const startedAt = now();
  const files = await listMarkdownFiles(corpusDir).catch((cause: unknown) => {
    throw new DocumentError(corpusDir, 'cannot read the corpus folder', { cause });
  });

  const failed: IngestSummary['failed'] = [];
  const warnings: string[] = [];
  const documents = new Map<string, KnowledgeDocument>();
  for (const [index, file] of files.entries()) {
    const relative = path.relative(process.cwd(), file);
    try {
      const document = parseDocument({ file: relative, source: await readFile(file, 'utf8') });
      const existing = documents.get(document.metadata.id);
      if (existing)
        throw new DocumentError(relative, `id ${document.metadata.id} is already used by ${existing.file}`);
      documents.set(document.metadata.id, document);
    } catch (error) {
      failed.push({
        file: relative,
        message: error instanceof DocumentError ? error.message : String(error),
      });
    }
    onProgress?.({ phase: 'parse', done: index + 1, total: files.length });
  }
  for (const document of documents.values()) {
    const reference = document.kind === 'past_defect' ? document.metadata.recurrence_of : undefined;
    if (reference && !documents.has(reference)) {
      warnings.push(`${document.file}: recurrence_of ${reference} is not in the corpus`);
    }
  }

  const description = await knowledgeBase.describe();
  if (description.embedderId !== null && description.embedderId !== embedderId) {
    warnings.push(`embedder changed from ${description.embedderId} to ${embedderId}: re-indexing everything`);
    await knowledgeBase.clear();
  }
  const indexed = new Map(
    (await knowledgeBase.listDocuments()).map((document) => [document.sourceId, document.contentHash]),
  );
  const toIndex = [...documents.values()].filter(
    (document) => indexed.get(document.metadata.id) !== document.contentHash,
  );
  const added = toIndex
    .filter((document) => !indexed.has(document.metadata.id))
    .map((document) => document.metadata.id);
  const updated = toIndex
    .filter((document) => indexed.has(document.metadata.id))
    .map((document) => document.metadata.id);

  let chunksIndexed = 0;
  onProgress?.({ phase: 'index', done: 0, total: toIndex.length });
  for (let start = 0; start < toIndex.length; start += batchSize) {
    const batch = toIndex.slice(start, start + batchSize);
    chunksIndexed += await indexDocuments({
      documents: batch,
      knowledgeBase,
      embedder,
      ...(params.chunking ? { chunking: params.chunking } : {}),
    });
    onProgress?.({
      phase: 'index',
      done: Math.min(start + batchSize, toIndex.length),
      total: toIndex.length,
    });
  }

  let removed: string[] = [];
  if (failed.length === 0) {
    removed = [...indexed.keys()].filter((sourceId) => !documents.has(sourceId));
    await knowledgeBase.removeDocuments({ sourceIds: removed });
  } else {
    warnings.push('stale documents were not removed because some files failed to parse');
  }
  await knowledgeBase.flush();
  return {
    files: files.length,
    added,
    updated,
    unchanged: documents.size - toIndex.length,
    removed,
    failed,
    warnings,
    chunksIndexed,
    durationMs: Math.round(now() - startedAt),
  };
}

/** Formats an ingestion summary in a few readable lines. */
export function formatIngestSummary(summary: IngestSummary): string {
  const lines = [
    `Ingested ${summary.files} files in ${summary.durationMs} ms: ${summary.added.length} added, ` +
      `${summary.updated.length} updated, ${summary.unchanged} unchanged, ${summary.removed.length} removed, ` +
      `${summary.failed.length} failed; ${summary.chunksIndexed} chunks indexed.`,
  ];
  for (const warning of summary.warnings) lines.push(`warning: ${warning}`);
  for (const failure of summary.failed) lines.push(`error: ${failure.message}`);
  return lines.join('\n');
}
