import { describe, expect, it } from 'vitest';
import { nearCopyShare } from './near-copies.ts';

function unit(values: number[]): Float32Array {
  const norm = Math.hypot(...values);
  return Float32Array.from(values, (value) => value / norm);
}

const VECTORS = new Map<number, Float32Array>([
  [1, unit([1, 0, 0])],
  [2, unit([1, 0.05, 0])],
  [3, unit([1, 0, 0.05])],
  [4, unit([0, 1, 0])],
  [5, unit([0, 0, 1])],
  [6, unit([0, 1, 0.05])],
]);

const vectorOf = (id: number) => VECTORS.get(id);
const ranked = (ids: number[]): Array<[number, number]> => ids.map((id, rank) => [id, 1 - rank / 10]);

describe('nearCopyShare', () => {
  it('counts the candidates that have a near-copy ranked above them', () => {
    // 2 and 3 copy 1; 6 copies 4: three of six.
    expect(nearCopyShare({ ranked: ranked([1, 2, 3, 4, 5, 6]), window: 6, similarity: 0.9, vectorOf })).toBe(
      0.5,
    );
  });

  it('is 0 for a pool of distinct candidates', () => {
    expect(nearCopyShare({ ranked: ranked([1, 4, 5]), window: 10, similarity: 0.9, vectorOf })).toBe(0);
  });

  it('looks at the best `window` candidates only', () => {
    expect(nearCopyShare({ ranked: ranked([1, 4, 5, 2, 3]), window: 3, similarity: 0.9, vectorOf })).toBe(0);
    expect(nearCopyShare({ ranked: ranked([1, 4, 5, 2, 3]), window: 5, similarity: 0.9, vectorOf })).toBe(
      0.4,
    );
  });

  it('counts a pair only at or above the similarity, and never a candidate without a vector', () => {
    expect(nearCopyShare({ ranked: ranked([1, 2]), window: 2, similarity: 1.01, vectorOf })).toBe(0);
    expect(
      nearCopyShare({ ranked: ranked([1, 2]), window: 2, similarity: 0.9, vectorOf: () => undefined }),
    ).toBe(0);
    expect(nearCopyShare({ ranked: ranked([1, 9, 2]), window: 3, similarity: 0.9, vectorOf })).toBeCloseTo(
      1 / 3,
    );
  });

  it('is 0 for fewer than two candidates', () => {
    expect(nearCopyShare({ ranked: [], window: 20, similarity: 0.6, vectorOf })).toBe(0);
    expect(nearCopyShare({ ranked: ranked([1]), window: 20, similarity: 0.6, vectorOf })).toBe(0);
  });
});
