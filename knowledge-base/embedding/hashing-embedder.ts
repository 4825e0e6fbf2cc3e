import type { Embedder } from './embedder.ts';
import { CONCEPTS_BY_WORD } from './lexicon.ts';
import { contentWords } from './text.ts';

/** Settings of the hashing embedder. */
export interface HashingEmbedderOptions {
  /** Vector size. 384 by default. */
  dimensions?: number;
}

const WEIGHTS = { word: 1, bigram: 0.8, trigram: 0.25, concept: 0.6 } as const;

/** 32-bit FNV-1a over a string's UTF-16 code units. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Counts the weighted features of a text: words, word bigrams, character trigrams and concepts. */
function features(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (feature: string, weight: number): void => {
    counts.set(feature, (counts.get(feature) ?? 0) + weight);
  };
  const words = contentWords(text);
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index] as string;
    add(`w:${word}`, WEIGHTS.word);
    const next = words[index + 1];
    if (next !== undefined) add(`b:${word} ${next}`, WEIGHTS.bigram);
    const padded = `^${word}$`;
    for (let start = 0; start + 3 <= padded.length; start += 1)
      add(`t:${padded.slice(start, start + 3)}`, WEIGHTS.trigram);
    for (const concept of CONCEPTS_BY_WORD.get(word) ?? []) add(`c:${concept}`, WEIGHTS.concept);
  }
  return counts;
}

/** Embeds one text into a signed, hashed, L2-normalised bag of features. */
export function embedText(text: string, dimensions: number): Float32Array {
  const vector = new Float32Array(dimensions);
  for (const [feature, count] of features(text)) {
    const hash = fnv1a(feature);
    const sign = (hash & 0x80000000) === 0 ? 1 : -1;
    const weight = count <= 1 ? count : 1 + Math.log(count);
    vector[hash % dimensions] = (vector[hash % dimensions] ?? 0) + sign * weight;
  }
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  if (norm > 0)
    for (let index = 0; index < dimensions; index += 1) vector[index] = (vector[index] ?? 0) / norm;
  return vector;
}

/**
 * A deterministic local embedder that downloads nothing: signed feature hashing of content
 * words, word bigrams, character trigrams and plant-vocabulary concepts, L2-normalised.
 */
export function createHashingEmbedder(options: HashingEmbedderOptions = {}): Embedder {
  const dimensions = options.dimensions ?? 384;
  if (!Number.isInteger(dimensions) || dimensions < 16)
    throw new RangeError('dimensions must be an integer >= 16');
  return {
    id: `hashing-v1-${dimensions}`,
    dimensions,
    async embed({ texts, signal }) {
      signal?.throwIfAborted();
      return texts.map((text) => embedText(text, dimensions));
    },
  };
}
