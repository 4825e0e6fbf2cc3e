/**
 * The look-alike tests a report records (DOMAIN.md): whether a mark wipes off, has pits or depth
 * under it, runs in circles, or whether a tint sits at the weld, each read from the clauses that
 * name the test and turned into a failed one by a negation.
 */
import type { LookAlikeTests } from './schema.ts';
import { isNegated, type Clause } from './segment.ts';

/** A deposit that comes off only with a brush, a pad or a cleaner. */
const REMOVED_WITH_A_CLEANER =
  /\b(needs?|needed|takes?|took|only with|comes? off with|came off with|removed with|cleans? off with)\b[^.;]{0,20}\b(scotch-?brite|brush\w*|cleaner|solvent|detergent|acetone|alcohol|degreaser|scouring pad)\b|(要|需要|得|需)[^。；]{0,6}(刷子|清洗剂|溶剂|洗洁精|酒精|丙酮|百洁布|钢丝球)/u;

/** The result of a wipe, said in the clause after it. */
const WIPE_RESULT =
  /^\W*((and|then)\s+)?((they|it|the marks?|the spots?)\s+)?((were|was|are|is)\s+)?(all\s+|completely\s+)?(gone|disappeared|vanished|came off|removed)\b/u;

/**
 * The look-alike tests inspectors use to tell neighbouring defects apart (DOMAIN.md): a wipe or
 * solvent test, pits under the marks, a fingernail or depth check, the pattern of the marks, and
 * whether a tint sits at the weld. A negation in the clause turns a test into a failed one.
 */
export const LOOK_ALIKE_PATTERNS: Record<keyof LookAlikeTests, RegExp> = {
  wipes_off:
    /\b(wipe[sd]?|wiping|rub(s|bed)?|come[s]?|came)\s+(it\s+|them\s+)?(right\s+|straight\s+|easily\s+|cleanly\s+)?(off|away|clean)\b|\b(removable|removed)\s+(with|by)\s+(a\s+)?(solvent|ipa|alcohol|acetone|cloth|wipe)|\bremov(e|es|ed|ing)\s+(them|it|the\s+\w+)\b|\b(takes?|took|taking)\s+(them|it)\s+(right\s+)?off\b|擦(得|的)?掉|擦除|可擦|擦拭后(消失|干净)|一擦就|擦干净|擦不掉|洗得掉|洗掉|(指甲|用)[^，。；,;]{0,8}刮(得|的)?(掉|下来)|\bscrap(e|es|ed|ing)\s+(it\s+|them\s+)?(off|away)\s+with\b|\b(gone|disappeared|vanished)\s+(after|with)\s+(a\s+)?(wipe|wiping|ipa|alcohol|solvent|cloth)\b/u,
  pitting: /\bpit(s|ted|ting)?\b|点蚀|麻点|蚀坑|凹坑/u,
  has_depth:
    /\bfingernail\b|\bnail\s+(catch|catches|caught)|\b(can|could)\s+(be\s+)?feel\b|\bfeel\b[^.]{0,20}\b(with|by)\b|\bdepth\b|\bcatches\b|指甲|(有|明显|能感觉到|没有?|无)手感|手感明显|有深度|摸得到|能摸到|摸不到/u,
  circular:
    /\b(circular|circles?|arcs|arc[- ]shaped|arc marks?|in an arc|swirl\w*|concentric|hologram\w*|haz(e|y))\b|旋纹|圆弧|螺旋纹|(?<!盐)雾|光晕/u,
  at_weld:
    /\b(at|near|around|next to|along|beside|within)\b[^.]{0,25}\b(weld\w*|bolster|seam)\b|焊缝附近|焊点附近|焊接处|焊缝处|靠近焊/u,
};

/** A corrosion test run on sample parts: salt spray (neutral salt fog, NSS), a humidity cabinet. */
export const CORROSION_TEST =
  /\b(salt[- ]?(spray|fog|mist)|nss|corrosion test|humidity (cabinet|chamber|test))\b|盐雾|湿热试验|腐蚀试验/iu;

/** A tint placed away from the weld ("well away from the seam", "not at the weld", 不在焊缝): the other side of the test. */
const AWAY_FROM_WELD =
  /\b(nowhere near|not (at|near|on|by|around)|far from|(well )?away from|clear of)\b[^.]{0,25}\b(weld\w*|bolster|seam)\b|\bnot (a|the) weld\b|不在焊|远离焊|离焊缝[^。，,]{0,4}远|不是焊/u;

/** A mark scraped off the part, with a fingernail or a tool: 刮掉, "scraped off". */
const SCRAPED_OFF =
  /(指甲|用)[^，。；,;]{0,8}刮(得|的)?(掉|下来)|\bscrap(e|es|ed|ing)\s+(it\s+|them\s+)?(off|away)\s+with\b/u;

/** What a wipe or solvent test is done with. */
const WIPE_TEST =
  /\b(wip\w*|cloth|rag|tissue|ipa|alcohol|solvent|acetone|thinner|rub\w*|clean(ed|ing)?|wash\w*|fingernail|nail|pad|scotch\w*|scour\w*|scrub\w*|brush\w*|eraser|steel wool)\b|擦|酒精|溶剂|洗|指甲|百洁布|钢丝球|刷/u;

/** A mark gone after a wipe: 一擦就没有, 擦一下就掉了, 擦后消失. */
const WIPE_GONE = /擦[^，。；,;不]{0,4}(就|后|即)(没有?了?|没了|不见了?|掉了?|消失|干净)/u;

const FAILED_TEST =
  /擦不掉|摸不到|摸不出|刮不到|刮不住|卡不住|挂不住|不挂手|不挂指甲|不卡指甲|不卡手|不刮手|感觉不到|没(有)?手感|无手感|\b(untouched|unchanged|stay|stays|remain|remains|won'?t|doesn'?t|don'?t|did not|does not|do not|cannot|can'?t)\b/u;

/** A mark on a surface, what pits are looked for under: spots, stains, marks, 斑, 锈迹. */
const MARK_WORD =
  /\b(marks?|stains?|spots?|specks?|dots?|discolou?r\w*|tint\w*|rust\w*|corro\w*|brown|orange|reddish|blotch\w*)\b|斑|渍|锈|变色|黑点|褐色|黄点|红点/u;

export function readLookAlikeTests(
  clauses: readonly Clause[],
  superseded: ReadonlySet<number>,
): LookAlikeTests {
  const tests: LookAlikeTests = {};
  for (const [name, pattern] of Object.entries(LOOK_ALIKE_PATTERNS) as Array<
    [keyof LookAlikeTests, RegExp]
  >) {
    if (name === 'at_weld' && clauses.some((clause) => AWAY_FROM_WELD.test(clause.text))) {
      // Away from the weld, unless the report also places something at it ("a tint ring next to the
      // bolster; 56 HRC further along the blade").
      tests.at_weld = clauses.some((clause, index) => {
        if (superseded.has(index)) return false;
        return pattern.test(clause.text.replace(new RegExp(AWAY_FROM_WELD.source, 'gu'), ' '));
      });
      continue;
    }
    for (const [index, clause] of clauses.entries()) {
      if (superseded.has(index)) continue;
      const match = pattern.exec(clause.text);
      if (!match) continue;
      // A fingernail that scrapes the mark off ("用指甲可以刮掉") is a removal test, not a depth check.
      if (name === 'has_depth' && SCRAPED_OFF.test(clause.text)) continue;
      // Ink or a film "tacky to a fingernail" is a test of its cure, not of a mark's depth.
      if (
        name === 'has_depth' &&
        /\b(tacky|sticky|soft|wet|uncured)\b[^.;]{0,12}\bfingernail\b|发黏|发粘|未干/u.test(clause.text)
      )
        continue;
      // Pits are the rust test when they sit under marks ("brown spots, pitted underneath"); pits
      // with no mark beside them ("pits 0.2-0.4 mm dia" on a casting) are the surface itself. "No
      // pits" is the test passed either way.
      if (
        name === 'pitting' &&
        !isNegated({
          offset: match.index,
          negatedFrom: clause.negatedFrom,
          negatedTo: clause.negatedTo,
          negatedUntil: clause.negatedUntil,
          spans: clause.spans,
        }) &&
        !clauses
          .slice(Math.max(0, index - 1), index + 2)
          .some((other) => other.line === clause.line && MARK_WORD.test(other.text))
      )
        continue;
      // "came off the glazing station" says where a part came from; a wipe test names what wiped.
      if (
        name === 'wipes_off' &&
        /^(come|comes|came|remov|take|took|taking)/.test(match[0]) &&
        // "brackets came off clean": off the part, not off a wipe; the wipe is named apart.
        !WIPE_TEST.test(
          `${clauses[index - 1]?.text ?? ''} ${clause.text.slice(0, match.index)} ${clause.text
            .slice(match.index + match[0].length)
            .replace(/^\s*clean(ly)?\b/u, ' ')}`,
        )
      )
        continue;
      // "油渍没有擦干净", "not wiped down": nobody wiped it, a step left out, not a wipe test.
      if (
        name === 'wipes_off' &&
        /(没有?|未|忘了?|忘记)擦|\b(not|never|wasn'?t|weren'?t)\s+(been\s+)?wiped\b/u.test(clause.text)
      )
        continue;
      // "用干布一擦就没有": gone after a wipe; the 没有 says the mark went, not that the wipe failed.
      if (name === 'wipes_off' && WIPE_GONE.test(clause.text) && !FAILED_TEST.test(clause.text)) {
        tests.wipes_off = true;
        break;
      }
      const negated =
        isNegated({
          offset: match.index,
          negatedFrom: clause.negatedFrom,
          negatedTo: clause.negatedTo,
          negatedUntil: clause.negatedUntil,
          spans: clause.spans,
        }) ||
        // A test that was tried and did not work ("does not wipe off", "nothing a fingernail
        // can feel"); pits, patterns and where a tint sits are observations, negated only by a negation.
        ((name === 'wipes_off' || name === 'has_depth') && FAILED_TEST.test(clause.text));
      tests[name] = !negated;
      break;
    }
  }
  // A mark a plain wipe leaves but a brush or a cleaner takes off ("湿布擦不掉，要刷子 + 清洗剂",
  // "does not come off with the standard wipe, needs Scotch-Brite + cleaner") is a deposit on the
  // surface, not a mark in it.
  const allText = clauses.map((clause) => clause.text).join(' ');
  const cleaned = REMOVED_WITH_A_CLEANER.exec(allText);
  if (
    tests.wipes_off === false &&
    cleaned &&
    // "They do not come off with solvent": the cleaner failed too.
    !/\b(not|never|no)\s+$|n't\s+$|不\s*$/u.test(
      allText.slice(Math.max(0, cleaned.index - 10), cleaned.index),
    )
  )
    tests.wipes_off = true;
  // A wipe in one clause and its result in the next ("wiped with solvent - gone", "wiped them and they
  // were gone").
  if (tests.wipes_off === undefined)
    clauses.forEach((clause, index) => {
      const next = clauses[index + 1]?.text ?? '';
      if (
        !superseded.has(index) &&
        /\bwip(e|ed|ing)\b/.test(clause.text) &&
        WIPE_RESULT.test(next) &&
        !FAILED_TEST.test(`${clause.text} ${next}`)
      )
        tests.wipes_off = true;
    });
  return tests;
}
