import { TopScores } from './top-scores.ts';

/** BM25 parameters; the same defaults as SQLite FTS5's `bm25()` and Lucene. */
export interface Bm25Parameters {
  /** Term-frequency saturation. */
  k1: number;
  /** Length normalisation. */
  b: number;
}

const DEFAULT_BM25: Bm25Parameters = { k1: 1.2, b: 0.75 };

/** One term's postings: chunk ids in ascending order and the term's frequency in each. */
interface PostingList {
  ids: Int32Array;
  frequencies: Uint16Array;
  length: number;
}

/** Parameters of {@link LexicalIndex.search}. */
export interface LexicalSearchParams {
  /** The query's terms (normalised as the indexed text is); repeats are scored once. */
  terms: readonly string[];
  limit: number;
  /** Keeps only the chunks it accepts (a metadata filter); asked only of chunks that would enter the top. */
  accept?: (id: number) => boolean;
  /**
   * The chunks a selective filter matches, as a mask by chunk id (1 = matches): the postings of
   * other chunks are skipped before they are scored.
   */
  only?: Uint8Array;
}

/**
 * An in-memory inverted index scored with full BM25 (every query term, no budget), answering a
 * top-k exactly with term-at-a-time accumulation into a dense score array and a bounded heap.
 * Chunk ids are SQLite rowids, which only grow, so posting lists stay sorted by appending.
 */
export class LexicalIndex {
  readonly #postings = new Map<string, PostingList>();
  readonly #parameters: Bm25Parameters;
  #lengths = new Float64Array(1024);
  #scores = new Float64Array(1024);
  #touched = new Int32Array(1024);
  #chunks = 0;
  #totalLength = 0;

  constructor(parameters: Partial<Bm25Parameters> = {}) {
    this.#parameters = { ...DEFAULT_BM25, ...parameters };
  }

  /** Chunks indexed. */
  get size(): number {
    return this.#chunks;
  }

  /** Chunks containing `term`. */
  documentFrequency(term: string): number {
    return this.#postings.get(term)?.length ?? 0;
  }

  /** Indexes a chunk's terms (in order, with repeats). Ids must be added in ascending order. */
  add(id: number, terms: readonly string[]): void {
    if (id >= this.#lengths.length) this.#grow(id + 1);
    const counts = new Map<string, number>();
    for (const term of terms) if (term.length > 0) counts.set(term, (counts.get(term) ?? 0) + 1);
    let length = 0;
    for (const [term, count] of counts) {
      length += count;
      let list = this.#postings.get(term);
      if (!list) {
        list = { ids: new Int32Array(4), frequencies: new Uint16Array(4), length: 0 };
        this.#postings.set(term, list);
      }
      if (list.length === list.ids.length) {
        const ids = new Int32Array(list.ids.length * 2);
        ids.set(list.ids);
        const frequencies = new Uint16Array(list.ids.length * 2);
        frequencies.set(list.frequencies);
        list.ids = ids;
        list.frequencies = frequencies;
      }
      list.ids[list.length] = id;
      list.frequencies[list.length] = Math.min(count, 65_535);
      list.length += 1;
    }
    this.#lengths[id] = Math.max(length, 1);
    this.#chunks += 1;
    this.#totalLength += length;
  }

  /** Removes chunks, given each one's terms; one pass over each affected posting list. */
  delete(chunks: ReadonlyArray<{ id: number; terms: readonly string[] }>): void {
    const removed = new Set<number>();
    const affected = new Set<string>();
    for (const { id, terms } of chunks) {
      if (id >= this.#lengths.length || this.#lengths[id] === 0) continue;
      removed.add(id);
      for (const term of terms) if (term.length > 0) affected.add(term);
    }
    for (const term of affected) {
      const list = this.#postings.get(term);
      if (!list) continue;
      let kept = 0;
      for (let index = 0; index < list.length; index += 1) {
        const id = list.ids[index] as number;
        if (removed.has(id)) continue;
        list.ids[kept] = id;
        list.frequencies[kept] = list.frequencies[index] as number;
        kept += 1;
      }
      list.length = kept;
      if (kept === 0) this.#postings.delete(term);
    }
    for (const id of removed) {
      this.#totalLength -= this.#lengths[id] as number;
      this.#lengths[id] = 0;
      this.#chunks -= 1;
    }
  }

  clear(): void {
    this.#postings.clear();
    this.#lengths = new Float64Array(1024);
    this.#scores = new Float64Array(1024);
    this.#touched = new Int32Array(1024);
    this.#chunks = 0;
    this.#totalLength = 0;
  }

  /** BM25's inverse document frequency as FTS5 computes it (never below a small positive floor). */
  inverseDocumentFrequency(term: string): number {
    const frequency = this.documentFrequency(term);
    const value = Math.log((this.#chunks - frequency + 0.5) / (frequency + 0.5));
    return value > 0 ? value : 1e-6;
  }

  /**
   * The `limit` chunks of highest BM25 score over all `terms` (an OR query), best first, ties by
   * ascending id.
   */
  search({ terms, limit, accept, only }: LexicalSearchParams): Array<[number, number]> {
    if (this.#chunks === 0 || limit < 1) return [];
    const { k1, b } = this.#parameters;
    const averageLength = this.#totalLength / this.#chunks;
    const lengths = this.#lengths;
    const scores = this.#scores;
    const touched = this.#touched;
    let touchedCount = 0;
    for (const term of new Set(terms)) {
      const list = this.#postings.get(term);
      if (!list) continue;
      const idf = this.inverseDocumentFrequency(term);
      const { ids, frequencies, length } = list;
      for (let index = 0; index < length; index += 1) {
        const id = ids[index] as number;
        if (only && only[id] !== 1) continue;
        const frequency = frequencies[index] as number;
        const norm = k1 * (1 - b + (b * (lengths[id] as number)) / averageLength);
        const previous = scores[id] as number;
        if (previous === 0) touched[touchedCount++] = id;
        scores[id] = previous + (idf * frequency * (k1 + 1)) / (frequency + norm);
      }
    }
    const top = new TopScores(limit);
    for (let index = 0; index < touchedCount; index += 1) {
      const id = touched[index] as number;
      const score = scores[id] as number;
      scores[id] = 0;
      if (score < top.threshold) continue;
      if (accept && !accept(id)) continue;
      top.offer(id, score);
    }
    return top.sorted();
  }

  /** The BM25 score of one chunk for `terms` (0 when it holds none), by binary search of each posting list. */
  score({ terms, id }: { terms: readonly string[]; id: number }): number {
    if (id >= this.#lengths.length || this.#lengths[id] === 0) return 0;
    const { k1, b } = this.#parameters;
    const norm = k1 * (1 - b + (b * (this.#lengths[id] as number)) / (this.#totalLength / this.#chunks));
    let total = 0;
    for (const term of new Set(terms)) {
      const list = this.#postings.get(term);
      if (!list) continue;
      let low = 0;
      let high = list.length - 1;
      while (low <= high) {
        const middle = (low + high) >> 1;
        const value = list.ids[middle] as number;
        if (value === id) {
          const frequency = list.frequencies[middle] as number;
          total += (this.inverseDocumentFrequency(term) * frequency * (k1 + 1)) / (frequency + norm);
          break;
        }
        if (value < id) low = middle + 1;
        else high = middle - 1;
      }
    }
    return total;
  }

  #grow(minimum: number): void {
    let capacity = this.#lengths.length;
    while (capacity < minimum) capacity *= 2;
    const lengths = new Float64Array(capacity);
    lengths.set(this.#lengths);
    this.#lengths = lengths;
    this.#scores = new Float64Array(capacity);
    this.#touched = new Int32Array(capacity);
  }
}
