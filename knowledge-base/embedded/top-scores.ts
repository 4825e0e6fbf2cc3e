/** Whether (score, id) ranks below (otherScore, otherId): a lower score, or the same score and a higher id. */
function ranksBelow(score: number, id: number, otherScore: number, otherId: number): boolean {
  return score < otherScore || (score === otherScore && id > otherId);
}

/**
 * The best `limit` (id, score) pairs offered, kept in a min-heap whose root is the worst of them,
 * so that a top-k over many candidates costs O(n log k) instead of a full sort.
 */
export class TopScores {
  readonly #ids: Int32Array;
  readonly #scores: Float64Array;
  #size = 0;

  constructor(readonly limit: number) {
    this.#ids = new Int32Array(limit);
    this.#scores = new Float64Array(limit);
  }

  /** The lowest score still in the top (minus infinity while it is not full). */
  get threshold(): number {
    return this.#size < this.limit ? Number.NEGATIVE_INFINITY : (this.#scores[0] as number);
  }

  offer(id: number, score: number): void {
    const ids = this.#ids;
    const scores = this.#scores;
    if (this.#size < this.limit) {
      let index = this.#size;
      this.#size += 1;
      while (index > 0) {
        const parent = (index - 1) >> 1;
        if (!ranksBelow(score, id, scores[parent] as number, ids[parent] as number)) break;
        ids[index] = ids[parent] as number;
        scores[index] = scores[parent] as number;
        index = parent;
      }
      ids[index] = id;
      scores[index] = score;
      return;
    }
    if (!ranksBelow(scores[0] as number, ids[0] as number, score, id)) return;
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      if (left >= this.#size) break;
      const right = left + 1;
      const child =
        right < this.#size &&
        ranksBelow(scores[right] as number, ids[right] as number, scores[left] as number, ids[left] as number)
          ? right
          : left;
      if (!ranksBelow(scores[child] as number, ids[child] as number, score, id)) break;
      ids[index] = ids[child] as number;
      scores[index] = scores[child] as number;
      index = child;
    }
    ids[index] = id;
    scores[index] = score;
  }

  /** Best first; ties by ascending id. */
  sorted(): Array<[number, number]> {
    const entries: Array<[number, number]> = [];
    for (let index = 0; index < this.#size; index += 1)
      entries.push([this.#ids[index] as number, this.#scores[index] as number]);
    return entries.sort((left, right) => right[1] - left[1] || left[0] - right[0]);
  }
}
