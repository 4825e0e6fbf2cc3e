import { contentWords } from '../embedding/text.ts';
import { chineseWords, translateChineseTerms } from './multilingual.ts';

/**
 * The words indexed for BM25: the same normalisation and stemming as the embedder, so that the
 * indexed terms and the query terms match exactly, then the Chinese words (jieba), so that the
 * Chinese text of a confirmed case is found by Chinese queries.
 */
export function searchText(text: string): string {
  return [...contentWords(text), ...chineseWords(text)].join(' ');
}

/**
 * A query with the English of the glossary terms and plant words it holds appended (nothing for an
 * English query), so that a Chinese or mixed query finds the English corpus on both sides of the
 * search.
 */
export function expandQuery(query: string): string {
  const english = translateChineseTerms(query);
  return english.length > 0 ? `${query} ${english}` : query;
}

/** The query's terms in order of appearance (at most 64; repeats are scored once). */
export function queryTerms(text: string): string[] {
  return [...contentWords(text).filter((term) => term.length >= 2), ...chineseWords(text)].slice(0, 64);
}
