import { normaliseText } from '../embedding/text.ts';

const FTS_STOPWORDS = new Set(
  'a an and are as at be by for from has have in is it of on or the to was were with what which how why when where do does did this that these those not no'.split(
    ' ',
  ),
);

/**
 * Builds an FTS5 MATCH expression from free text: every content term quoted and OR-ed, so
 * that no user input is read as FTS5 syntax. Returns null when nothing is left to match.
 */
export function toFtsQuery(text: string): string | null {
  const terms = new Set<string>();
  for (const token of normaliseText(text).split(' ')) {
    const term = token.replace(/\./g, ' ').trim();
    if (term.length < 2 || FTS_STOPWORDS.has(term)) continue;
    terms.add(term);
    if (terms.size >= 32) break;
  }
  if (terms.size === 0) return null;
  return [...terms].map((term) => `"${term}"`).join(' OR ');
}
