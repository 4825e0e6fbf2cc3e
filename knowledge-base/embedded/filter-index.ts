import type { RetrievalFilter } from '../knowledge-base.ts';

/** The filterable fields of one chunk. */
export interface FilterFields {
  docType: string;
  stage: string;
  defectTypes: readonly string[];
  facilities: readonly string[];
  productSku: string | null;
}

type FilterKey = `${keyof RetrievalFilter}:${string}`;

/**
 * In-memory posting sets of the filterable metadata, so that a filtered search can tell how
 * many chunks match and enumerate them without scanning every chunk.
 */
export class FilterIndex {
  readonly #fields = new Map<number, FilterFields>();
  readonly #postings = new Map<FilterKey, Set<number>>();
  /** The last filter listed and its chunks: both sides of one filtered retrieval ask for it. */
  #lastMatching: { key: string; ids: readonly number[] } | null = null;

  get size(): number {
    return this.#fields.size;
  }

  has(id: number): boolean {
    return this.#fields.has(id);
  }

  add(id: number, fields: FilterFields): void {
    this.delete(id);
    this.#lastMatching = null;
    this.#fields.set(id, fields);
    for (const key of FilterIndex.#keysOf(fields)) {
      let set = this.#postings.get(key);
      if (!set) this.#postings.set(key, (set = new Set()));
      set.add(id);
    }
  }

  delete(id: number): void {
    const fields = this.#fields.get(id);
    if (!fields) return;
    this.#lastMatching = null;
    this.#fields.delete(id);
    for (const key of FilterIndex.#keysOf(fields)) this.#postings.get(key)?.delete(id);
  }

  clear(): void {
    this.#lastMatching = null;
    this.#fields.clear();
    this.#postings.clear();
  }

  matches(id: number, filter: RetrievalFilter): boolean {
    const fields = this.#fields.get(id);
    if (!fields) return false;
    if (filter.doc_type && fields.docType !== filter.doc_type) return false;
    if (filter.stage && fields.stage !== filter.stage) return false;
    if (filter.defect_type && !fields.defectTypes.includes(filter.defect_type)) return false;
    if (filter.facility && !fields.facilities.includes(filter.facility)) return false;
    if (filter.product_sku && fields.productSku !== filter.product_sku) return false;
    return true;
  }

  /**
   * An upper bound of the chunks matching the filter, without listing them: the size of the
   * smallest posting set of its fields (exact for a filter on one field).
   */
  estimate(filter: RetrievalFilter): number {
    let smallest = this.#fields.size;
    for (const [field, value] of Object.entries(filter) as Array<
      [keyof RetrievalFilter, string | undefined]
    >) {
      if (value === undefined) continue;
      smallest = Math.min(smallest, this.#postings.get(`${field}:${value}`)?.size ?? 0);
    }
    return smallest;
  }

  /**
   * Every chunk matching the filter: the smallest posting set, checked against the rest. The list
   * of the last filter asked for is kept until the next write, so the lexical and the vector side
   * of one filtered retrieval list it once.
   */
  matching(filter: RetrievalFilter): readonly number[] {
    const key = JSON.stringify([
      filter.doc_type,
      filter.stage,
      filter.defect_type,
      filter.facility,
      filter.product_sku,
    ]);
    if (this.#lastMatching?.key === key) return this.#lastMatching.ids;
    const ids = this.#list(filter);
    this.#lastMatching = { key, ids };
    return ids;
  }

  #list(filter: RetrievalFilter): number[] {
    const sets: Array<Set<number>> = [];
    for (const [field, value] of Object.entries(filter) as Array<
      [keyof RetrievalFilter, string | undefined]
    >) {
      if (value === undefined) continue;
      sets.push(this.#postings.get(`${field}:${value}`) ?? new Set());
    }
    if (sets.length === 0) return [...this.#fields.keys()];
    sets.sort((left, right) => left.size - right.size);
    const [smallest, ...others] = sets as [Set<number>, ...Array<Set<number>>];
    const result: number[] = [];
    for (const id of smallest) if (others.every((set) => set.has(id))) result.push(id);
    return result;
  }

  static #keysOf(fields: FilterFields): FilterKey[] {
    const keys: FilterKey[] = [`doc_type:${fields.docType}`, `stage:${fields.stage}`];
    for (const type of fields.defectTypes) keys.push(`defect_type:${type}`);
    for (const facility of fields.facilities) keys.push(`facility:${facility}`);
    if (fields.productSku) keys.push(`product_sku:${fields.productSku}`);
    return keys;
  }
}
