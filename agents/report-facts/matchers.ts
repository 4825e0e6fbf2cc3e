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
  /\b(complaint|claim|return|feedback|review)( (from|by|of|via) [^,.;:]{1,40})?\s*$|\b(rma|ticket|case|claim|complaint)\s*(no\.?|#)?\s*[a-z-]*\d[\w-]*\s*$|\b(customer|buyer|user|consumer|retailer|distributor|client|end user)s? (says?|said|writes?|wrote|reports?|reported|states?|stated|complains?|complained)\s*$|(投诉|客诉|退货|反馈)\s*$|(客户|顾客|买家|用户)(说|反映|反馈|称|表示)\s*$/u;

/** A statement that what was found is within its acceptance limit (the limit sample, the standard). */
export const WITHIN_LIMIT =
  /^(which is |that is |is |are |but |yet )?(still )?(within|inside|in) (the )?(limit|boundary|acceptance|approved|allowed|standard|spec|tolerance|((colou?r|tint|reference|acceptance) )?(chart|card)|master|sample board|limit sample|boundary sample)\w*( (sample|samples|range|limits?))?\b|^(but |yet )?(acceptable|accepted|allowed|ok) (per|to|by) (the )?(limit|boundary|standard|spec)|^(在|于)?(标准|规格|公差|允收|允许|限度样板|限度|样板|可接受)(范围)?(内|以内)|^(可接受|允收)$/u;

/**
 * A complaint the investigation did not confirm ("complaint not confirmed", "could not
 * reproduce", 客诉不成立): the complaint's defect words name what was investigated, not a finding.
 */
export const NOT_CONFIRMED =
  /\b((claim|complaint|chargeback|return)s? (was |were |is )?(rejected|declined|not accepted)|(rejected|declined) the (claim|complaint|chargeback)|no (manufacturing |production |quality |product )?defects? found|found no (manufacturing |production |quality |product )?defects?|normal wear( and tear)?|(the )?(lot|batch|product|part|parts) (conforms|conform)|not confirmed|unconfirmed|no fault|not (a )?(defect|fault)|not defective|not reproduced|not reproducible|could not (be )?reproduce\w*|cannot (be )?reproduce\w*|unfounded|not substantiated|no fault found|not verified|traced to (the )?(customer'?s? |user'?s? |consumer'?s? )?(use|misuse|abuse|handling|care|dishwasher\w*)|(customer|user|consumer) misuse|no (manufacturing|production|quality|material|product) (defect|fault|issue)s?|conclusion\s*[:：]?\s*(misuse|abuse|user damage|wear)|(customer|user|consumer|buyer|owner)s? (admitted|confirmed|conceded)\b[^.;]{0,30}\b(left|leaving|soak\w*|put|putting|ran|running|used|using|washed|washing|dropped|dropping)|not a (production|manufacturing|product|quality) (defect|issue|fault))\b|(结论|判定)\s*[:：]?\s*(misuse|abuse|误用|使用不当|人为损坏)|未复现|无法复现|不能复现|不成立|未证实|不属实|使用不当|人为损坏|非质量问题|非生产问题|(不是|不属于|没有)(产品|质量|生产)(问题|缺陷)|无质量问题|(清洗|擦拭|擦)后无锈|(客户|用户|顾客)(承认|确认)[^。；]{0,10}(泡|放|洗碗机|摔|掉)/u;

/** A handle of wood: walnut, pakkawood, 木柄, "scales of olive wood". */
export const WOODEN_HANDLE =
  /\b(wood(en)?|walnut|beech|olive ?wood|rosewood|ebony|oak|maple|acacia|pakka ?wood|hardwood)\b[^.;\n]{0,20}\b(handles?|scales?|grips?)\b|\b(handles?|scales?) (of|in|made of) (\w+ )?wood\b|(?<![胶电])木(质)?(手)?柄|(?<![胶电])木把|实木/iu;

/** A handle of plastic: POM, ABS, PP, nylon, bakelite, 塑料柄, 胶柄. */
export const PLASTIC_HANDLE =
  /\b(pom|abs|pp|pa6?|nylon|polypropylene|acetal|tpe|tpr|bakelite|phenolic|resin|plastic)\b[^.;\n]{0,20}\b(handles?|scales?|grips?)\b|塑料(手)?柄|胶柄|(pom|abs|pp|尼龙|电木)\s*(手)?柄/iu;
