import { describe, expect, it } from 'vitest';
import { collapseNearDuplicates } from './near-duplicates.ts';

function unit(values: number[]): Float32Array {
  const norm = Math.hypot(...values);
  return Float32Array.from(values, (value) => value / norm);
}

const VECTORS = new Map<number, Float32Array>([
  [1, unit([1, 0, 0])],
  [2, unit([1, 0.1, 0])],
  [3, unit([0, 1, 0])],
  [4, unit([0, 0, 1])],
]);

describe('collapseNearDuplicates', () => {
  it('moves a near-duplicate of a better-ranked candidate behind the distinct ones', () => {
    const collapsed = collapseNearDuplicates({
      ranked: [
        [1, 0.9],
        [2, 0.8],
        [3, 0.7],
        [4, 0.6],
      ],
      count: 3,
      threshold: 0.9,
      vectorOf: (id) => VECTORS.get(id),
    });
    expect(collapsed.map(([id]) => id)).toEqual([1, 3, 4]);
  });

  it('fills the result with near-duplicates when too few distinct candidates remain, scores never rising', () => {
    const collapsed = collapseNearDuplicates({
      ranked: [
        [1, 0.9],
        [2, 0.8],
        [3, 0.7],
      ],
      count: 3,
      threshold: 0.9,
      vectorOf: (id) => VECTORS.get(id),
    });
    expect(collapsed).toEqual([
      [1, 0.9],
      [3, 0.7],
      [2, 0.7],
    ]);
  });

  it('keeps the ranking as it is when no pair reaches the threshold or a vector is missing', () => {
    const ranked: Array<[number, number]> = [
      [1, 0.9],
      [2, 0.8],
      [5, 0.7],
    ];
    expect(
      collapseNearDuplicates({ ranked, count: 3, threshold: 1.01, vectorOf: (id) => VECTORS.get(id) }),
    ).toEqual(ranked);
    expect(collapseNearDuplicates({ ranked, count: 2, threshold: 0.9, vectorOf: () => undefined })).toEqual(
      ranked.slice(0, 2),
    );
  });
});
