import { createHash } from 'node:crypto';
import { CancelledError, ValidationError } from '../../domain/index.ts';
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

const DEFAULT_WEIGHTS: FeatureWeights = { word: 1, bigram: 0.5, trigram: 0.1, concept: 0.6 };

const FNV_OFFSET = 0x811c9dc5;

/** Continues a 32-bit FNV-1a hash over the UTF-16 code units of `text[start, end)`. */
function fnv1a(state: number, text: string, start = 0, end = text.length): number {
  let hash = state;
  for (let index = start; index < end; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Each feature family hashes from its own seed, so a word and a concept of the same name differ. */
const SEEDS = {
  word: fnv1a(FNV_OFFSET, 'w:'),
  bigram: fnv1a(FNV_OFFSET, 'b:'),
  trigram: fnv1a(FNV_OFFSET, 't:'),
  concept: fnv1a(FNV_OFFSET, 'c:'),
};

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

/**
 * Adds a text's features into `vector` by signed hashing: content words, word bigrams,
 * character trigrams of each word (with ^ and $ marking its ends) and plant-vocabulary concepts.
 */
function accumulate(
  vector: Float32Array,
  text: string,
  weights: FeatureWeights,
  idf: (word: string) => number,
): void {
  const dimensions = vector.length;
  const add = (hash: number, weight: number): void => {
    const slot = hash % dimensions;
    vector[slot] = (vector[slot] as number) + ((hash & 0x80000000) === 0 ? weight : -weight);
  };
  const words = contentWords(text);
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index] as string;
    const wordIdf = idf(word);
    add(fnv1a(SEEDS.word, word), weights.word * wordIdf);
    const next = words[index + 1];
    if (next !== undefined) {
      add(fnv1a(fnv1a(fnv1a(SEEDS.bigram, word), ' '), next), (weights.bigram * (wordIdf + idf(next))) / 2);
    }
    if (weights.trigram > 0) {
      const padded = `^${word}$`;
      for (let start = 0; start + 3 <= padded.length; start += 1) {
        add(fnv1a(SEEDS.trigram, padded, start, start + 3), weights.trigram * wordIdf);
      }
    }
    for (const concept of CONCEPTS_BY_WORD.get(word) ?? [])
      add(fnv1a(SEEDS.concept, concept), weights.concept * wordIdf);
  }
}

/** Embeds one text: accumulated features, each slot damped logarithmically above 1, L2-normalised. */
function embed(
  text: string,
  dimensions: number,
  weights: FeatureWeights,
  idf: (word: string) => number,
): Float32Array {
  const vector = new Float32Array(dimensions);
  accumulate(vector, text, weights, idf);
  let norm = 0;
  for (let index = 0; index < dimensions; index += 1) {
    const value = vector[index] as number;
    const magnitude = Math.abs(value);
    const damped = magnitude <= 1 ? value : Math.sign(value) * (1 + Math.log(magnitude));
    vector[index] = damped;
    norm += damped * damped;
  }
  norm = Math.sqrt(norm);
  if (norm > 0)
    for (let index = 0; index < dimensions; index += 1) vector[index] = (vector[index] as number) / norm;
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
 * word statistics are given, L2-normalised. A text without content words (only stop words or
 * punctuation) gives the zero vector. Its id changes with any setting.
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
    id: isDefault ? `hashing-v3-${dimensions}` : `hashing-v3-${dimensions}-${fingerprint(settings)}`,
    dimensions,
    async embed({ texts, signal }) {
      texts.forEach((text, index) => {
        if (text.trim().length === 0) throw new ValidationError(`text ${index} is empty or only whitespace`);
      });
      if (signal?.aborted) throw new CancelledError('the embedding was cancelled', { cause: signal.reason });
      return texts.map((text) => embed(text, dimensions, weights, idf));
    },
  };
}
