import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { chunkDocument, type Chunk } from '../documents/chunk.ts';
import { parseDocument } from '../documents/parse.ts';
import type { KnowledgeDocument } from '../documents/schema.ts';
import { seededRandom } from './synthetic-corpus.ts';

/** One document of the distracted corpus: a real document, or a one-chunk perturbed copy of a real chunk. */
export interface DistractedDocument {
  sourceId: string;
  docType: KnowledgeDocument['kind'];
  contentHash: string;
  chunks: Chunk[];
  /** The real document this one copies (its own id for a real document). */
  originalId: string;
}

/** How copies are perturbed: shares of words dropped and replaced, and the appended window's size in words. */
export interface Perturbation {
  dropShare: number;
  replaceShare: number;
  windowWords: { min: number; max: number };
}

/** The perturbation of issue 17: 25 % of the words dropped, 15 % replaced, a window of another chunk appended. */
export const DEFAULT_PERTURBATION: Perturbation = {
  dropShare: 0.25,
  replaceShare: 0.15,
  windowWords: { min: 20, max: 60 },
};

/** Parses every corpus file under `corpusDir` (README files excepted), in path order. */
export async function readCorpusDocuments(corpusDir: string): Promise<KnowledgeDocument[]> {
  const entries = await readdir(corpusDir, { withFileTypes: true, recursive: true });
  const files = entries
    .filter(
      (entry) => entry.isFile() && entry.name.endsWith('.md') && entry.name.toLowerCase() !== 'readme.md',
    )
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
  return Promise.all(
    files.map(async (file) => parseDocument({ file, source: await readFile(file, 'utf8') })),
  );
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/**
 * A perturbed copy of a chunk's text: each word dropped with `dropShare`, otherwise replaced with
 * `replaceShare` by a word drawn from the corpus (so at the corpus's own word frequencies), then a
 * window of another chunk's words appended.
 */
export function perturbText({
  words,
  otherWords,
  vocabulary,
  random,
  perturbation = DEFAULT_PERTURBATION,
}: {
  words: readonly string[];
  otherWords: readonly string[];
  vocabulary: readonly string[];
  random: () => number;
  perturbation?: Perturbation;
}): string {
  const kept: string[] = [];
  for (const word of words) {
    const draw = random();
    if (draw < perturbation.dropShare) continue;
    kept.push(draw < perturbation.dropShare + perturbation.replaceShare ? pick(random, vocabulary) : word);
  }
  const { min, max } = perturbation.windowWords;
  const length = Math.min(otherWords.length, min + Math.floor(random() * (max - min + 1)));
  const start = Math.floor(random() * (otherWords.length - length + 1));
  kept.push(...otherWords.slice(start, start + length));
  return kept.join(' ');
}

/**
 * The distracted corpus of issue 17 at `size` chunks: every chunk of the real corpus, plus
 * perturbed copies of randomly drawn real chunks (seeded) until there are `size` chunks. Each copy
 * is a document of its own with its original chunk's metadata (so filters see it) and
 * `originalId` naming the document it copies, so that a copy of a relevant document counts as
 * relevant.
 */
export function buildDistractedCorpus({
  documents,
  size,
  seed,
  perturbation = DEFAULT_PERTURBATION,
}: {
  documents: readonly KnowledgeDocument[];
  size: number;
  seed: number;
  perturbation?: Perturbation;
}): DistractedDocument[] {
  const corpus: DistractedDocument[] = documents.map((document) => ({
    sourceId: document.metadata.id,
    docType: document.kind,
    contentHash: document.contentHash,
    chunks: chunkDocument(document),
    originalId: document.metadata.id,
  }));
  const realChunks = corpus.flatMap((document) => document.chunks);
  const chunkWords = realChunks.map((chunk) => chunk.indexedText.split(/\s+/).filter(Boolean));
  const vocabulary = chunkWords.flat();
  const random = seededRandom(seed);
  for (let copy = 0; realChunks.length + copy < size; copy += 1) {
    const index = Math.floor(random() * realChunks.length);
    const original = realChunks[index] as Chunk;
    let other = Math.floor(random() * (realChunks.length - 1));
    if (other >= index) other += 1;
    const text = perturbText({
      words: chunkWords[index] as string[],
      otherWords: chunkWords[other] as string[],
      vocabulary,
      random,
      perturbation,
    });
    const sourceId = `${original.sourceId}~${copy}`;
    const chunkId = `${sourceId}#${original.chunkId.split('#')[1] ?? 'copy'}`;
    corpus.push({
      sourceId,
      docType: original.metadata.doc_type,
      contentHash: `copy-${seed}-${copy}`,
      chunks: [
        {
          chunkId,
          sourceId,
          text,
          indexedText: text,
          metadata: { ...original.metadata, source_id: sourceId, chunk_id: chunkId },
        },
      ],
      originalId: original.sourceId,
    });
  }
  return corpus;
}

/** The document a source id stands for: the original of a copy (`<original>~<n>`), else itself. */
export function originalOf(sourceId: string): string {
  const marker = sourceId.lastIndexOf('~');
  return marker < 0 ? sourceId : sourceId.slice(0, marker);
}
