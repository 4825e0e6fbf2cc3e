/** Parameters of {@link sidesAgree}. */
export interface SidesAgreeParams {
  /** BM25 candidates as (id, score), best first. */
  lexical: ReadonlyArray<readonly [number, number]>;
  /** Cosine candidates as (id, score), best first. */
  semantic: ReadonlyArray<readonly [number, number]>;
  /** How many of the best candidates of each side are compared; 0 or less turns the check off. */
  depth: number;
  /**
   * Whether two passages count as the same (near-duplicates, such as copies of one record); by
   * default only a passage is the same as itself.
   */
  same?: (left: number, right: number) => boolean;
}

/**
 * Whether the best `depth` candidates of the two sides of a hybrid search share a passage: a
 * query-performance estimate, since two sides that agree on nothing near the top are not
 * answering the same question. True when the check is off or either side found nothing.
 */
export function sidesAgree({ lexical, semantic, depth, same }: SidesAgreeParams): boolean {
  if (depth <= 0 || lexical.length === 0 || semantic.length === 0) return true;
  const best = lexical.slice(0, depth).map(([id]) => id);
  const shared = new Set(best);
  const top = semantic.slice(0, depth).map(([id]) => id);
  if (top.some((id) => shared.has(id))) return true;
  if (!same) return false;
  return top.some((right) => best.some((left) => same(left, right)));
}
