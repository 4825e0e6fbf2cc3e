import { dot } from './near-duplicates.ts';

/** Parameters of {@link nearCopyShare}. */
export interface NearCopyShareParams {
  /** Candidates as (id, score), best first. */
  ranked: ReadonlyArray<readonly [number, number]>;
  /** How many of the best candidates are examined. */
  window: number;
  /** Cosine similarity at or above which a candidate is a near-copy of a better-ranked one. */
  similarity: number;
  /** The unit vector of a candidate; a candidate without one is never a near-copy. */
  vectorOf: (id: number) => Float32Array | undefined;
}

/**
 * The share of the best `window` candidates of a ranking that are near-copies of a better-ranked
 * candidate (cosine at or above `similarity`): 0 when every candidate near the top is distinct,
 * close to 1 when the top is one passage many times over (re-ingested duplicates, a record entered
 * under several ids, lightly edited copies). Each such candidate would waste a slot of the top k
 * on a passage the reader has already seen. At most `window × (window − 1) / 2` cosines; 0 for
 * fewer than two candidates.
 */
export function nearCopyShare({ ranked, window, similarity, vectorOf }: NearCopyShareParams): number {
  const head = ranked.slice(0, Math.max(0, Math.floor(window)));
  if (head.length < 2) return 0;
  const seen: Float32Array[] = [];
  let copies = 0;
  for (const [id] of head) {
    const vector = vectorOf(id);
    if (!vector) continue;
    if (seen.some((other) => dot(vector, other) >= similarity)) copies += 1;
    seen.push(vector);
  }
  return copies / head.length;
}
