import { contentWords } from '../embedding/text.ts';

/**
 * The words indexed for BM25: the same normalisation and stemming as the embedder, so that the
 * FTS5 vocabulary and query terms match exactly.
 */
export function searchText(text: string): string {
  return contentWords(text).join(' ');
}

/** Distinct query terms, in order of first appearance (at most 32). */
export function queryTerms(text: string): string[] {
  return [...new Set(contentWords(text).filter((term) => term.length >= 2))].slice(0, 32);
}

/**
 * Picks the terms worth matching: rarest first, until their posting lists add up to `budget`
 * rows, always keeping the two rarest. BM25 gives very common terms almost no weight, yet
 * scoring their postings is what costs time at scale.
 */
export function selectTerms(documentFrequency: ReadonlyMap<string, number>, budget: number): string[] {
  const present = [...documentFrequency.entries()].filter(([, frequency]) => frequency > 0);
  present.sort((left, right) => left[1] - right[1] || left[0].localeCompare(right[0]));
  const selected: string[] = [];
  let postings = 0;
  for (const [term, frequency] of present) {
    if (selected.length >= 2 && postings + frequency > budget) break;
    selected.push(term);
    postings += frequency;
  }
  return selected;
}

/** An FTS5 MATCH expression of quoted, OR-ed terms: no user input is read as FTS5 syntax. */
export function toFtsQuery(terms: readonly string[]): string | null {
  if (terms.length === 0) return null;
  return terms.map((term) => `"${term.replaceAll('"', '')}"`).join(' OR ');
}
