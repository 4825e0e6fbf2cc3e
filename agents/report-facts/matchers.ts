import { GLOSSARY } from '../../domain/index.ts';
import { termMatcher } from './segment.ts';

type Entries = Record<string, { en: readonly string[]; zh: readonly string[] }>;

/** One term matcher per code of a glossary section, over its English and Chinese terms. */
export function matchersOf(entries: Entries): Array<[string, ReturnType<typeof termMatcher>]> {
  return Object.entries(entries).map(([code, terms]) => [code, termMatcher([...terms.en, ...terms.zh])]);
}

/** The glossary's words for each defect type. */
export const TYPE_MATCHERS = matchersOf(GLOSSARY.defect_types);
