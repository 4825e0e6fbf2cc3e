/** Parameters of {@link collapseNearDuplicates}. */
export interface CollapseNearDuplicatesParams {
  /** Candidates as (id, score), best first. */
  ranked: ReadonlyArray<readonly [number, number]>;
  /** Passages wanted. */
  count: number;
  /** Cosine similarity at or above which a candidate is a near-duplicate of a better-ranked one. */
  threshold: number;
  /** The unit vector of a candidate; a candidate without one is never a near-duplicate. */
  vectorOf: (id: number) => Float32Array | undefined;
}

/** The dot product of two vectors of the same length: their cosine when both are unit vectors. */
export function dot(left: Float32Array, right: Float32Array): number {
  let sum = 0;
  for (let index = 0; index < left.length; index += 1) {
    sum += (left[index] as number) * (right[index] as number);
  }
  return sum;
}

/**
 * Near-duplicate collapsing of a ranking (field collapsing by vector): walks the candidates best
 * first and keeps one whose cosine to every candidate kept before it is below `threshold`; the
 * others (near-duplicates of a better passage) follow the kept ones in their own order, so that
 * they still fill the result when fewer than `count` distinct passages remain. Returns at most
 * `count` candidates; a near-duplicate's score is capped at the score of the passage before it, so
 * that the scores never rise down the list.
 */
export function collapseNearDuplicates({
  ranked,
  count,
  threshold,
  vectorOf,
}: CollapseNearDuplicatesParams): Array<[number, number]> {
  const kept: Array<[number, number]> = [];
  const keptVectors: Float32Array[] = [];
  const duplicates: Array<[number, number]> = [];
  for (const [id, score] of ranked) {
    if (kept.length >= count) break;
    const vector = vectorOf(id);
    const duplicate = vector !== undefined && keptVectors.some((other) => dot(vector, other) >= threshold);
    if (duplicate) {
      duplicates.push([id, score]);
      continue;
    }
    kept.push([id, score]);
    if (vector) keptVectors.push(vector);
  }
  const result = [...kept, ...duplicates].slice(0, count);
  for (let index = 1; index < result.length; index += 1) {
    const entry = result[index] as [number, number];
    entry[1] = Math.min(entry[1], (result[index - 1] as [number, number])[1]);
  }
  return result;
}
