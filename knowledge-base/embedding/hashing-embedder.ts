import { createHash } from 'node:crypto';
import type { Embedder } from './embedder.ts';
import { CONCEPTS_BY_WORD } from './lexicon.ts';
import { contentWords } from './text.ts';

/** Document frequencies of content words over a reference corpus, for IDF weighting. */
export interface WordStatistics {
  documents: number;
  documentFrequency: ReadonlyMap<string, number>;
}

/** Weight of each feature family in the vector. */
export interface FeatureWeights {
  word: number;
  bigram: number;
  trigram: number;
  concept: number;
}

/** Settings of the hashing embedder. */
export interface HashingEmbedderOptions {
  /** Vector size. 384 by default. */
  dimensions?: number;
  /** Weight of each feature family; the defaults were chosen with `npm run kb:eval`. */
  weights?: Partial<FeatureWeights>;
  /** Word statistics for IDF weighting; without them every word weighs the same. */
  wordStatistics?: WordStatistics;
}

const DEFAULT_WEIGHTS: FeatureWeights = { word: 1, bigram: 0.5, trigram: 0.05, concept: 0.6 };

/** 32-bit FNV-1a over a string's UTF-16 code units. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** BM25's inverse document frequency, always positive; 1 for every word without statistics. */
function idfFunction(statistics: WordStatistics | undefined): (word: string) => number {
  if (!statistics) return () => 1;
  const total = statistics.documents;
  const cache = new Map<string, number>();
  return (word) => {
    let value = cache.get(word);
    if (value === undefined) {
      const frequency = statistics.documentFrequency.get(word) ?? 0;
      value = Math.log(1 + (total - frequency + 0.5) / (frequency + 0.5));
      cache.set(word, value);
    }
    return value;
  };
}

/** Counts the weighted features of a text: words, word bigrams, character trigrams and concepts. */
function features(
  text: string,
  weights: FeatureWeights,
  idf: (word: string) => number,
): Map<string, { count: number; weight: number }> {
  const counts = new Map<string, { count: number; weight: number }>();
  const add = (feature: string, weight: number): void => {
    const existing = counts.get(feature);
    if (existing) existing.count += 1;
    else counts.set(feature, { count: 1, weight });
  };
  const words = contentWords(text);
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index] as string;
    const wordIdf = idf(word);
    add(`w:${word}`, weights.word * wordIdf);
    const next = words[index + 1];
    if (next !== undefined) add(`b:${word} ${next}`, (weights.bigram * (wordIdf + idf(next))) / 2);
    if (weights.trigram > 0) {
      const padded = `^${word}$`;
      for (let start = 0; start + 3 <= padded.length; start += 1) {
        add(`t:${padded.slice(start, start + 3)}`, weights.trigram * wordIdf);
      }
    }
    for (const concept of CONCEPTS_BY_WORD.get(word) ?? []) add(`c:${concept}`, weights.concept * wordIdf);
  }
  return counts;
}

function embed(
  text: string,
  dimensions: number,
  weights: FeatureWeights,
  idf: (word: string) => number,
): Float32Array {
  const vector = new Float32Array(dimensions);
  for (const [feature, { count, weight }] of features(text, weights, idf)) {
    const hash = fnv1a(feature);
    const sign = (hash & 0x80000000) === 0 ? 1 : -1;
    const total = count * weight;
    vector[hash % dimensions] =
      (vector[hash % dimensions] ?? 0) + sign * (total <= 1 ? total : 1 + Math.log(total));
  }
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  if (norm > 0)
    for (let index = 0; index < dimensions; index += 1) vector[index] = (vector[index] ?? 0) / norm;
  return vector;
}

function fingerprint(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 8);
}

/** Counts in how many of `texts` each content word occurs. */
export function computeWordStatistics(texts: readonly string[]): WordStatistics {
  const documentFrequency = new Map<string, number>();
  for (const text of texts) {
    for (const word of new Set(contentWords(text))) {
      documentFrequency.set(word, (documentFrequency.get(word) ?? 0) + 1);
    }
  }
  return { documents: texts.length, documentFrequency };
}

/**
 * A deterministic local embedder that downloads nothing: signed feature hashing of content
 * words, word bigrams, character trigrams and plant-vocabulary concepts, IDF-weighted when
 * word statistics are given, L2-normalised. Its id changes with any setting.
 */
export function createHashingEmbedder(options: HashingEmbedderOptions = {}): Embedder {
  const dimensions = options.dimensions ?? 384;
  if (!Number.isInteger(dimensions) || dimensions < 16)
    throw new RangeError('dimensions must be an integer >= 16');
  const weights = { ...DEFAULT_WEIGHTS, ...options.weights };
  const idf = idfFunction(options.wordStatistics);
  const settings = {
    weights,
    statistics: options.wordStatistics
      ? [options.wordStatistics.documents, [...options.wordStatistics.documentFrequency].sort()]
      : null,
  };
  const isDefault =
    options.wordStatistics === undefined &&
    (Object.keys(DEFAULT_WEIGHTS) as Array<keyof FeatureWeights>).every(
      (key) => weights[key] === DEFAULT_WEIGHTS[key],
    );
  return {
    id: isDefault ? `hashing-v2-${dimensions}` : `hashing-v2-${dimensions}-${fingerprint(settings)}`,
    dimensions,
    async embed({ texts, signal }) {
      signal?.throwIfAborted();
      return texts.map((text) => embed(text, dimensions, weights, idf));
    },
  };
}
