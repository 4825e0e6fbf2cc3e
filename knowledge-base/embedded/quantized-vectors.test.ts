import { describe, expect, it } from 'vitest';
import { seededRandom } from '../bench/synthetic-corpus.ts';
import { QuantizedVectors } from './quantized-vectors.ts';

function unitVectors(count: number, dimensions: number, seed: number): Float32Array[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const vector = Float32Array.from({ length: dimensions }, () => random() - 0.5);
    const norm = Math.hypot(...vector);
    return vector.map((value) => value / norm);
  });
}

function exactNearest(vectors: readonly Float32Array[], query: Float32Array, count: number): number[] {
  return vectors
    .map(
      (vector, id) =>
        [id, vector.reduce((sum, value, index) => sum + value * (query[index] ?? 0), 0)] as const,
    )
    .sort((left, right) => right[1] - left[1])
    .slice(0, count)
    .map(([id]) => id);
}

describe('QuantizedVectors', () => {
  it('finds the nearest vectors by inner product, as an exact search would up to int8 rounding', () => {
    const vectors = unitVectors(3000, 64, 1);
    const index = new QuantizedVectors(64);
    vectors.forEach((vector, id) => index.add(id, vector));
    expect(index.size).toBe(3000);
    for (const query of unitVectors(10, 64, 2)) {
      const found = new Set(index.nearest(query, 50));
      const exact = exactNearest(vectors, query, 10);
      expect(exact.filter((id) => found.has(id)).length).toBe(10);
    }
  });

  it('forgets deleted vectors, compacts its rows and keeps answering', () => {
    const vectors = unitVectors(2000, 32, 3);
    const index = new QuantizedVectors(32);
    vectors.forEach((vector, id) => index.add(id, vector));
    for (let id = 0; id < 1500; id += 1) index.delete(id);
    expect(index.size).toBe(500);
    const query = vectors[1700] as Float32Array;
    const found = index.nearest(query, 5);
    expect(found[0]).toBe(1700);
    expect(found.every((id) => id >= 1500)).toBe(true);
    index.add(7, vectors[7] as Float32Array);
    expect(index.nearest(vectors[7] as Float32Array, 1)).toEqual([7]);
    index.clear();
    expect(index.nearest(query, 5)).toEqual([]);
  });

  it('searches among given ids only, skipping ids it does not hold', () => {
    const vectors = unitVectors(3000, 64, 4);
    const index = new QuantizedVectors(64);
    vectors.forEach((vector, id) => index.add(id, vector));
    const allowed = Array.from({ length: 1000 }, (_, position) => position * 3);
    const query = unitVectors(1, 64, 5)[0] as Float32Array;
    const found = index.nearestAmong(query, [...allowed, 99_999], 40);
    expect(found.every((id) => id % 3 === 0)).toBe(true);
    const exactAllowed = exactNearest(
      vectors.filter((_, id) => id % 3 === 0),
      query,
      10,
    ).map((position) => position * 3);
    expect(exactAllowed.filter((id) => found.includes(id)).length).toBe(10);
    expect(index.nearestAmong(vectors[6] as Float32Array, [6, 9], 1)).toEqual([6]);
    expect(index.nearestAmong(query, [99_999], 5)).toEqual([]);
  });
});
