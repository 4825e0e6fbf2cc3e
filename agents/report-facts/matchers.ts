import { GLOSSARY, type Category6M } from '../../domain/index.ts';
import { termMatcher } from './segment.ts';

type Entries = Record<string, { en: readonly string[]; zh: readonly string[] }>;

/** One term matcher per code of a glossary section, over its English and Chinese terms. */
export function matchersOf(entries: Entries): Array<[string, ReturnType<typeof termMatcher>]> {
  return Object.entries(entries).map(([code, terms]) => [code, termMatcher([...terms.en, ...terms.zh])]);
}

/** The glossary's words for each defect type. */
export const TYPE_MATCHERS = matchersOf(GLOSSARY.defect_types);

/** The glossary's words for each production stage and escape point. */
export const STAGE_MATCHERS = matchersOf({ ...GLOSSARY.stages, ...GLOSSARY.escape_points });

/** The glossary's nouns of each 6M branch: where a cause is. */
export const CAUSE_CATEGORY_MATCHERS = matchersOf(GLOSSARY.causes_6m) as Array<
  [Category6M, ReturnType<typeof termMatcher>]
>;

/** Words that introduce a cause: "due to", "because", 因为, 导致. */
export const CAUSE_MARKERS = termMatcher([...GLOSSARY.cause_markers.en, ...GLOSSARY.cause_markers.zh]);

/** Words that make a statement a hypothesis: "suspect", "maybe", 怀疑, 可能. */
export const HYPOTHESIS_MARKERS = termMatcher([
  ...GLOSSARY.hypothesis_markers.en,
  ...GLOSSARY.hypothesis_markers.zh,
]);

/** A clause that ends in the word complaint, the label of the claim that follows it. */
export const COMPLAINT_LABEL =
  /\b(complaint|claim|return|feedback|review)( (from|by|of|via) [^,.;:]{1,40})?\s*$|\b(rma|ticket|case|claim|complaint)\s*(no\.?|#)?\s*[a-z-]*\d[\w-]*\s*$|(投诉|客诉|退货|反馈)\s*$/u;

/** A statement that what was found is within its acceptance limit (the limit sample, the standard). */
export const WITHIN_LIMIT =
  /^(which is |that is |is |are |but |yet )?(still )?(within|inside|in) (the )?(limit|boundary|acceptance|approved|allowed|standard|spec|tolerance|((colou?r|tint|reference|acceptance) )?(chart|card)|master|sample board|limit sample|boundary sample)\w*( (sample|samples|range|limits?))?\b|^(but |yet )?(acceptable|accepted|allowed|ok) (per|to|by) (the )?(limit|boundary|standard|spec)|^(在|于)?(标准|规格|公差|允收|允许|限度样板|限度|样板|可接受)(范围)?(内|以内)|^(可接受|允收)$/u;
