import { describe, expect, it } from 'vitest';
import { LexicalIndex } from './lexical-index.ts';

function bm25({
  frequency,
  length,
  averageLength,
  chunks,
  documentFrequency,
}: {
  frequency: number;
  length: number;
  averageLength: number;
  chunks: number;
  documentFrequency: number;
}): number {
  const idf = Math.max(Math.log((chunks - documentFrequency + 0.5) / (documentFrequency + 0.5)), 1e-6);
  return (idf * frequency * 2.2) / (frequency + 1.2 * (0.25 + (0.75 * length) / averageLength));
}

function sampleIndex(): LexicalIndex {
  const index = new LexicalIndex();
  index.add(1, ['rust', 'spot', 'blade']);
  index.add(2, ['rust', 'rust', 'handle']);
  index.add(3, ['chip', 'edge', 'blade', 'grind']);
  index.add(4, ['weld', 'porosity', 'bolster']);
  index.add(5, ['crack', 'handle', 'rivet']);
  return index;
}

describe('LexicalIndex', () => {
  it('scores every query term with BM25 and returns the top k, best first', () => {
    const index = sampleIndex();
    const hits = index.search({ terms: ['rust', 'handle'], limit: 2 });
    const averageLength = 16 / 5;
    const expected = (frequency: number, documentFrequency: number, length: number) =>
      bm25({ frequency, length, averageLength, chunks: 5, documentFrequency });
    expect(hits.map(([id]) => id)).toEqual([2, 1]);
    expect(hits[0]?.[1]).toBeCloseTo(expected(2, 2, 3) + expected(1, 2, 3), 10);
    expect(index.score({ terms: ['rust', 'handle'], id: 1 })).toBeCloseTo(expected(1, 2, 3), 10);
    expect(index.score({ terms: ['weld'], id: 1 })).toBe(0);
  });

  it('keeps only accepted chunks, and breaks ties by ascending id', () => {
    const index = sampleIndex();
    expect(index.search({ terms: ['rust'], limit: 5, accept: (id) => id !== 2 }).map(([id]) => id)).toEqual([
      1,
    ]);
    const tied = new LexicalIndex();
    for (const id of [4, 7, 9]) tied.add(id, ['same', 'words']);
    tied.add(10, ['other']);
    expect(tied.search({ terms: ['same'], limit: 2 }).map(([id]) => id)).toEqual([4, 7]);
  });

  it('forgets deleted chunks and their statistics, and takes later ids after a delete', () => {
    const index = sampleIndex();
    index.delete([{ id: 2, terms: ['rust', 'rust', 'handle'] }]);
    expect(index.size).toBe(4);
    expect(index.documentFrequency('rust')).toBe(1);
    expect(index.search({ terms: ['rust', 'handle'], limit: 5 }).map(([id]) => id)).toEqual([1, 5]);
    index.add(6, ['rust']);
    expect(index.search({ terms: ['rust'], limit: 5 }).map(([id]) => id)).toEqual([6, 1]);
    index.clear();
    expect(index.search({ terms: ['rust'], limit: 5 })).toEqual([]);
  });

  it('scores only the chunks of a mask, with the same scores as without it', () => {
    const index = sampleIndex();
    const all = new Map(index.search({ terms: ['rust', 'handle'], limit: 10 }));
    const only = new Uint8Array(4);
    only[1] = 1;
    only[3] = 1;
    const masked = index.search({ terms: ['rust', 'handle'], limit: 10, only });
    expect(masked.every(([id]) => id === 1 || id === 3)).toBe(true);
    expect(masked.length).toBeGreaterThan(0);
    for (const [id, score] of masked) expect(score).toBeCloseTo(all.get(id) ?? Number.NaN, 10);
  });
});
