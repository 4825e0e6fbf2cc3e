import { contentWords } from '../embedding/text.ts';

/**
 * The words indexed for BM25: the same normalisation and stemming as the embedder, so that the
 * indexed terms and the query terms match exactly.
 */
export function searchText(text: string): string {
  return contentWords(text).join(' ');
}

/** Distinct query terms, in order of first appearance (at most 32). */
export function queryTerms(text: string): string[] {
  return [...new Set(contentWords(text).filter((term) => term.length >= 2))].slice(0, 32);
}
