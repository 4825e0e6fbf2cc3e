import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { GLOSSARY } from '../../domain/index.ts';

/** A word of a report with whether a negation covers it. */
export interface Token {
  text: string;
  /** Offset in the clause text. */
  offset: number;
  negated: boolean;
  script: 'latin' | 'han' | 'number';
}

/** A clause of a report: the unit in which negations and conformance statements hold. */
export interface Clause {
  text: string;
  tokens: Token[];
  /** Offsets from which (inclusive) or up to which (exclusive) the clause is negated. */
  negatedFrom: number;
  /** End (exclusive) of the negation that starts at `negatedFrom`. */
  negatedTo: number;
  negatedUntil: number;
  /** Every negated span [from, to) of the clause (each negation word covers its own scope). */
  spans: Array<[number, number]>;
  /** The line of the text the clause is on (each line of a pasted check sheet is a row). */
  line: number;
  /** The clause opens a parenthesis: an aside on the clause before it ("re-check of lot 7 after the repair (burrs)"). */
  parenthetical: boolean;
  /** The clause follows a comma: the next item of a list the clause before it starts. */
  afterComma: boolean;
  /** The clause follows a colon: the value of the label the clause before it ends with. */
  afterColon: boolean;
  /** The clause ends with a question mark: it asks, it does not state. */
  question?: boolean;
}

const HAN = /\p{Script=Han}/u;
const HAN_RUN = /\p{Script=Han}+/gu;
const LATIN_WORD = /[a-z][a-z0-9]*(?:['-][a-z0-9]+)*|\d+(?:\.\d+)?/g;

/**
 * Sentence ends, line ends and table cells (each line of a pasted check sheet is its own
 * statement), and contrast words that restart a negation's scope ("no rust, but chips").
 */
const CLAUSE_BREAK =
  /[.;!?\n。；！？]+(?=\s|$|\p{Script=Han})|[。；！？]+|\n+|\s*\|\s*|(?<!\d),|,(?!\d{3}(?![\d.]))|[，()（）]|(?<!\d)[:：]|[:：](?!\d)|\s+-\s+|\bbut\b|\bhowever\b|\bwhile\b|\bexcept\b|\band\s+(?=there\s+(?:is|are|was|were)\b|they\s|it\s|we\s)|但是|但|不过|可是|然而/u;

let segmenter: Jieba | undefined;

/** The Chinese segmenter, with the glossary's Chinese terms added so that they stay whole words. */
function chineseSegmenter(): Jieba {
  if (!segmenter) {
    segmenter = Jieba.withDict(dict);
    const words = new Set<string>();
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) for (const item of value) visit(item);
      else if (value && typeof value === 'object')
        for (const [key, inner] of Object.entries(value)) {
          if (key === 'zh' && Array.isArray(inner))
            for (const word of inner)
              if (typeof word === 'string') words.add(word);
              else visit(inner);
        }
    };
    visit(GLOSSARY);
    const lines = [...words]
      .filter((word) => HAN.test(word) && !/\s/.test(word))
      .map((word) => `${word} 200000`);
    if (lines.length > 0) segmenter.loadDict(Buffer.from(lines.join('\n')));
  }
  return segmenter;
}

/** Lower-cases and normalises full-width characters and spaces, keeping Chinese as it is. */
export function normalizeText(text: string): string {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[\u2018\u2019]/g, "'")
      .replace(/\b(\w+)n't\b/g, '$1 not')
      .replace(/[\u201c\u201d]/g, '"')
      .replace(/[ \t]+/g, ' ')
      // Chinese has no spaces between words: "看起来 像 stain" is written as typed, read as 看起来像.
      .replace(/([\u4e00-\u9fff]) (?=[\u4e00-\u9fff])/gu, '$1')
  );
}

interface Matcher {
  /** Finds the terms in a text: offset and term. */
  find(text: string): Array<{ offset: number; term: string }>;
}

/** The characters that make a colour word with 色 after them (黑色, 灰色). */
const COLOUR_CHARACTERS = '黑白灰红黄绿蓝棕紫褐橙青银金粉彩杂';
/** Characters before 气孔 that make it a vent made on purpose: 排气孔, 出气孔, 透气孔, 通气孔, 放气孔. */
const VENT_CHARACTERS = '排出透通放';

/** A text with the characters a regular expression treats specially escaped. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A matcher of glossary terms: English terms on word boundaries (a trailing `*` matches a
 * prefix), Chinese terms as substrings.
 */
export function termMatcher(terms: readonly string[]): Matcher {
  const han = terms.filter((term) => HAN.test(term));
  const latin = terms.filter((term) => !HAN.test(term));
  const latinPattern =
    latin.length === 0
      ? null
      : new RegExp(
          `(?<![a-z0-9])(?:${latin
            .sort((left, right) => right.length - left.length)
            .map((term) =>
              term.endsWith('*')
                ? `${escapeRegExp(term.slice(0, -1)).replace(/ /g, '[\\s-]+')}[a-z]*`
                : escapeRegExp(term).replace(/ /g, '[\\s-]+'),
            )
            .join('|')})(?![a-z0-9])`,
          'g',
        );
  const hanTerms = [...han].sort((left, right) => right.length - left.length);
  return {
    find(text) {
      const found: Array<{ offset: number; term: string }> = [];
      if (latinPattern)
        for (const match of text.matchAll(latinPattern)) found.push({ offset: match.index, term: match[0] });
      if (hanTerms.length > 0) {
        const taken: Array<[number, number]> = [];
        for (const term of hanTerms) {
          let index = text.indexOf(term);
          while (index >= 0) {
            const end = index + term.length;
            const digitBefore = /^\d/.test(term) && /\d/.test(text[index - 1] ?? '');
            // "黑色粉末", "灰色粉尘": the 色 of a colour word before it is not the start of 色粉.
            const colourBefore =
              term.startsWith('色') && index > 0 && COLOUR_CHARACTERS.includes(text[index - 1]!);
            // "排气孔", "透气孔": a vent the part is made with, not a pore.
            const ventBefore = term === '气孔' && index > 0 && VENT_CHARACTERS.includes(text[index - 1]!);
            // "深色纹路", "浅色纹理": the grain (纹路, 纹理) of a dark or light colour, not a colour streak.
            const grainAfter = term.endsWith('纹') && /^[路理]/u.test(text.slice(end));
            // "色差仪", "色差计": the colorimeter, an instrument, not a colour difference found.
            const instrumentAfter = term === '色差' && /^[仪计]/u.test(text.slice(end));
            if (
              !digitBefore &&
              !colourBefore &&
              !grainAfter &&
              !ventBefore &&
              !instrumentAfter &&
              !taken.some(([start, stop]) => index < stop && end > start)
            ) {
              taken.push([index, end]);
              found.push({ offset: index, term });
            }
            index = text.indexOf(term, index + 1);
          }
        }
      }
      return found.sort((left, right) => left.offset - right.offset);
    },
  };
}

const negationCues = termMatcher([...GLOSSARY.negation.en, ...GLOSSARY.negation.zh]);

/** Chinese negation characters that negate only the word after them (无锈 "no rust"), not the clause. */
const SHORT_SCOPE = new Set(GLOSSARY.negation.zh.filter((cue) => cue.length === 1));
const SHORT_SCOPE_CHARACTERS = 6;
/** Negations of a copula ("is not", "does not belong to"): their scope is the word that follows. */
const COPULA_NEGATIONS = new Set(['不是', '并不是', '不属于', '不算', '并非']);
/** A copula or a verb of judging a negation character stands before: 不属于, 不是, 不算, 非为, 不作为, 不判为. */
const COPULA_VERBS = new Set([
  '是',
  '属于',
  '算',
  '算是',
  '为',
  '作为',
  '视为',
  '当作',
  '算作',
  '判',
  '列为',
  '计',
]);

/** Chinese words of unevenness and lack that begin with 不. */
const UNEVENNESS_WORDS = [
  '不一',
  '不均',
  '不匀',
  '不齐',
  '不平',
  '不整齐',
  '不规则',
  '不对称',
  '不顺',
  '不稳',
  '不足',
  '不够',
  '不良',
];

/**
 * Domain words that begin with a negation word ("not flush", 不合格, 不平, 未淬透): a negation
 * there is part of the word, not a negation of what follows.
 */
const NEGATION_INITIAL_WORDS = termMatcher(
  (() => {
    const cues = [...GLOSSARY.negation.en, ...GLOSSARY.negation.zh];
    const lists = [
      ...Object.values(GLOSSARY.defect_types),
      ...Object.values(GLOSSARY.severity_cues),
      ...Object.values(GLOSSARY.causes_6m),
      GLOSSARY.nonconformance,
      GLOSSARY.ambiguous,
    ];
    return [
      ...lists.flatMap((list) => [...list.en, ...list.zh]),
      // Words of unevenness and lack: the 不 of 亮暗不一, 厚薄不均 is "un-", not a negation of what follows.
      ...UNEVENNESS_WORDS,
    ].filter((term) =>
      cues.some((cue) => term !== cue && (HAN.test(cue) ? term.startsWith(cue) : term.startsWith(`${cue} `))),
    );
  })(),
);
const absenceCues = termMatcher([...GLOSSARY.absence_after.en, ...GLOSSARY.absence_after.zh]);

/** Words joining the items of a list: 或, 和, 及, 与, 、. */
const LIST_JOINERS = new Set(['或', '或者', '和', '及', '以及', '与', '、', '跟']);
/** A word that opens a new statement after a negated word ("无锈有划伤"): the negation stops there. */
const STATEMENT_OPENER = /^(有|是|但|但是|却|见|出现|发现|仍|还)/u;

/**
 * The end of a short negation's scope, carried over a list the negated word heads (不是油污或异物,
 * 无油污及残留) and over a short tail of the clause that names the same thing (无焊接发黑 "no weld
 * blackening"): the whole of a negated noun phrase.
 */
function extendedOverItsList(
  clause: string,
  words: ReadonlyArray<Omit<Token, 'negated'>>,
  to: number,
): number {
  let end = to;
  for (;;) {
    const joiner = words.find((token) => token.offset === end);
    if (!joiner || !LIST_JOINERS.has(joiner.text)) break;
    const item = words.find((token) => token.offset === joiner.offset + joiner.text.length);
    if (!item || item.script !== 'han' || STATEMENT_OPENER.test(item.text)) break;
    end = item.offset + item.text.length;
  }
  const tail = clause.slice(end);
  return tail.length > 0 &&
    tail.length <= 3 &&
    /^[\u4e00-\u9fff]+$/u.test(tail) &&
    !STATEMENT_OPENER.test(tail)
    ? clause.length
    : end;
}

/** A clause as split, with what joins it to the one before: a comma, a colon, a table cell's bar. */
interface SplitClause {
  text: string;
  afterComma: boolean;
  afterColon: boolean;
  afterCell: boolean;
  line: number;
  parenthetical: boolean;
  question?: boolean;
}

/** Splits a normalised text into clauses at sentence ends, commas and contrast words; each clause keeps whether a comma joins it to the one before. */
function splitClauses(text: string): SplitClause[] {
  const clauses: SplitClause[] = [];
  const lineAt = (offset: number): number => (text.slice(0, offset).match(/\n/g) ?? []).length;
  let afterComma = false;
  let afterColon = false;
  let afterCell = false;
  let parenthetical = false;
  let cursor = 0;
  for (const match of text.matchAll(new RegExp(CLAUSE_BREAK.source, 'gu'))) {
    const part = text.slice(cursor, match.index).trim();
    if (part.length > 0)
      clauses.push({
        text: part,
        afterComma,
        afterColon,
        afterCell,
        line: lineAt(cursor),
        parenthetical,
        ...(/[?？]/u.test(match[0]) ? { question: true } : {}),
      });
    afterComma = /^[,，]$/.test(match[0]) ? part.length > 0 || afterComma : false;
    afterColon = /^[:：]$/.test(match[0]);
    afterCell = match[0].includes('|');
    parenthetical = /[(（]/u.test(match[0]);
    cursor = match.index + match[0].length;
  }
  const last = text.slice(cursor).trim();
  if (last.length > 0)
    clauses.push({ text: last, afterComma, afterColon, afterCell, line: lineAt(cursor), parenthetical });
  return clauses;
}

/** A table cell holding a result (a count, a reading, NG or OK): the cell before it is the row's specification. */
const RESULT_CELL = /\d|\b(ng|nok|ok|pass(ed)?|fail(ed)?|reject(ed)?)\b|不合格|合格|不良/u;

/** "Looked over 25 pans for …", "inspected for …", "检查…": a list of what was looked for. */
const LOOKED_FOR =
  /\b(check(ed|s)?|inspect(ed|s)?|inspection|visual|look(ed|s)? (at|over)?|(went|gone|go|goes) (over|through)|test(ed|s)?|screen(ed|s)?|sort(ed|s)?|examin(ed|es)|audit(ed|s)?|verif(ied|y))\b[^,]{0,40}?\bfor\b/u;

/** A label that introduces the list of what was looked for: "checked for:", "inspection items:", "检查项目：". */
const LOOKED_FOR_LABEL =
  /(\bfor|\b(check|inspection|audit|test)\s*(items?|points?|list)|\bchecklist|\bchecked|\binspected|检查项目|检查内容|检验项目|检查项|检验内容)\s*$/u;

function tokenize(clause: string): Array<Omit<Token, 'negated'>> {
  const tokens: Array<Omit<Token, 'negated'>> = [];
  let cursor = 0;
  for (const run of clause.matchAll(HAN_RUN)) {
    tokens.push(...latinTokens(clause.slice(cursor, run.index), cursor));
    let offset = run.index;
    for (const word of chineseSegmenter().cut(run[0], false)) {
      tokens.push({ text: word, offset, script: 'han' });
      offset += word.length;
    }
    cursor = run.index + run[0].length;
  }
  tokens.push(...latinTokens(clause.slice(cursor), cursor));
  return tokens;
}

function latinTokens(text: string, base: number): Array<Omit<Token, 'negated'>> {
  return [...text.matchAll(LATIN_WORD)].map((match) => ({
    text: match[0],
    offset: base + match.index,
    script: /^\d/.test(match[0]) ? 'number' : 'latin',
  }));
}

/** A verb after 没有/未 at a clause's end: the doing is negated ("没有擦干净", "未处理"), not the thing before it. */
const VERB_AFTER_ABSENCE = /^(擦|清|洗|除|去|处理|修|磨|做|按|调|换|拆|装|涂|刷|抛|打|烘|吹|检|测|盖|贴|包)/u;

/** An arrow between words, not between numbers: "not water stain → rust", "色斑 -> 锈". */
const WORD_ARROW = /(?<![\d.]\s?)(→|->|=>|➜)(?!\s?[\d.])/u;

/**
 * Splits a report's text into clauses and marks what each negation covers: a negation word
 * ("no", "without", 无, 未发现) covers the rest of its clause; an absence statement after the
 * words ("- none found", "：无", "0 NG") covers what precedes it in the clause.
 */
export function segmentText(text: string): Clause[] {
  const parts = splitClauses(normalizeText(text));
  const clauses = parts.map(({ text: clause, line, parenthetical, afterComma, afterColon, question }) => {
    const exempt = new Set(NEGATION_INITIAL_WORDS.find(clause).map((hit) => hit.offset));
    const negations = negationCues.find(clause).filter(
      (hit) =>
        !exempt.has(hit.offset) &&
        // "No.3", "no. 12": an item number, not a negation.
        !(hit.term === 'no' && /^\.\s*\d/u.test(clause.slice(hit.offset + 2))),
    );
    const absences = absenceCues.find(clause).filter((hit) => !exempt.has(hit.offset));
    const words = tokenize(clause);
    const spans: Array<[number, number]> = negations.map((cue) => {
      const from = cue.offset + cue.term.length;
      if (!SHORT_SCOPE.has(cue.term)) {
        // An arrow between words ends what the negation covers ("not water stain → rust"): what
        // follows is the conclusion. Between numbers it is a range ("1000→600 °C").
        const arrow = WORD_ARROW.exec(clause.slice(from));
        return [from, arrow ? from + arrow.index : Number.POSITIVE_INFINITY];
      }
      const containing = words.find(
        (token) => token.offset < from && from < token.offset + token.text.length,
      );
      // A copula negation (不是 "is not", 并非) negates the word after it, not only itself.
      let nextWord =
        containing && !COPULA_NEGATIONS.has(containing.text)
          ? containing
          : words.find(
              (token) => token.offset >= (containing ? containing.offset + containing.text.length : from),
            );
      // 不 then 属于 or 是 as words of their own ("不 属于 油污"): the copula's object is what is negated.
      // "不 判 为 缺陷", "不 作为 缺陷": a verb of judging and its copula, then the object.
      for (let step = 0; step < 2 && nextWord && !containing && COPULA_VERBS.has(nextWord.text); step += 1) {
        const copula = nextWord;
        nextWord = words.find((token) => token.offset >= copula.offset + copula.text.length) ?? copula;
      }
      const to = nextWord
        ? Math.min(nextWord.offset + nextWord.text.length, from + SHORT_SCOPE_CHARACTERS)
        : from;
      return [from, extendedOverItsList(clause, words, to)];
    });
    const [negatedFrom, negatedTo] = spans[0] ?? [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
    const last = absences.at(-1);
    const rest = last ? clause.slice(last.offset + last.term.length).replace(/[\s\p{P}]+/gu, '') : '';
    // "油渍没有擦干净": 没有 before a verb negates the doing (not wiped clean), not the thing.
    const negatedUntil = last && rest.length <= 3 && !VERB_AFTER_ABSENCE.test(rest) ? last.offset : 0;
    return {
      text: clause,
      words,
      negatedFrom,
      negatedTo,
      negatedUntil,
      spans,
      line,
      parenthetical,
      afterComma,
      afterColon,
      ...(question ? { question } : {}),
    };
  });
  clauses.forEach((clause, index) => {
    const previous = clauses[index - 1];
    // "…, burrs — nil": the absence closes the clause of the list's last item.
    // The rule under a pasted table's header ("|---|---|") is no cell saying "none".
    const absenceOnly =
      previous !== undefined &&
      isAbsenceOnly(clause.text) &&
      !/^\s*:?-{3,}:?\s*$/u.test(clause.text) &&
      // Nor does "0" after a clause that counts its own parts ("7 pcs cracked … / 20:00 n=30: 0").
      !(
        /^\s*0\s*$/u.test(clause.text) &&
        /(^|\s)[1-9]\d*\s*(pcs|pieces|parts|件|把|只|个)(?![a-z])/u.test(previous.text)
      );
    const closesOwnClause = !absenceOnly && clause.negatedUntil > 0 && parts[index]!.afterComma;
    if (!closesOwnClause && !absenceOnly) return;
    // "pinholes | none | 2/15 NG": "none" is the specification column, the result follows it.
    const next = parts[index + 1];
    if (parts[index]!.afterCell && next?.afterCell && RESULT_CELL.test(next.text)) return;
    const lastItem = closesOwnClause ? index : index - 1;
    clauses[lastItem]!.negatedUntil = clauses[lastItem]!.text.length;
    // A list of what was looked for, split at its commas ("looked at for dents, rust and wobbly
    // handles - none seen"): the absence covers the whole list, back to "for".
    let first = lastItem;
    while (first > 0 && parts[first]!.afterComma) first -= 1;
    // A list after a label that says what was looked for ("inspection items: burrs, pitting,
    // loose rivets. nil", "检查项目：锈、崩口 — 无"): the absence covers every item of it.
    if (first > 0 && parts[first]!.afterColon && LOOKED_FOR_LABEL.test(clauses[first - 1]!.text)) {
      for (let inner = first; inner < lastItem; inner += 1)
        clauses[inner]!.negatedUntil = clauses[inner]!.text.length;
      return;
    }
    if (first === lastItem) return;
    const looked = LOOKED_FOR.exec(clauses[first]!.text);
    if (!looked) return;
    for (let inner = first + 1; inner < lastItem; inner += 1)
      clauses[inner]!.negatedUntil = clauses[inner]!.text.length;
    clauses[first]!.spans.push([looked.index + looked[0].length, Number.POSITIVE_INFINITY]);
  });
  // "No laps, folds or cracks on visual": a negation that opens a list covers its items after the
  // commas, up to the one the list ends with ("or", "and"), when they hold no count of their own.
  clauses.forEach((clause, index) => {
    if (!LIST_NEGATION_HEAD.test(clause.text) || clause.text.split(/\s+/).length > 4) return;
    for (let next = index + 1; next < clauses.length; next++) {
      const item = clauses[next]!;
      if (!parts[next]!.afterComma || item.line !== clause.line) break;
      if (item.text.split(/\s+/).length > 8 || /\d/.test(item.text)) break;
      if (DEFECT_WORDS.find(item.text).length === 0) break;
      // "no depth, just uneven swirly finish": a contrast says what was found instead.
      if (/^(just|only|but|however|except|rather|instead|yet|though|although)\b/u.test(item.text)) break;
      item.spans.push([0, Number.POSITIVE_INFINITY]);
      if (/\b(or|nor|and)\b/u.test(item.text)) break;
    }
  });
  return clauses.map(({ words, ...clause }) => ({
    ...clause,
    tokens: words.map((token) => ({ ...token, negated: isNegated({ offset: token.offset, ...clause }) })),
  }));
}

const FILLER =
  /\b(on|in|across) (any|all|each|every)( one)?( of)? (them|those|these)\b|\b(on|in|across) (any|all|every|each)( one)?( of)?( the)? (piece|pieces|part|parts|knife|knives|blade|blades|sample|samples|unit|units|pcs|pans|woks|pairs)\b|\b(any|of|them|it|they|were|was|is|are|found|seen|observed|detected|noted|at all|either)\b|发现|看到|检出|均|都|皆|全部|也/gu;

/** A clause that only says that something is absent ("none found", "nothing seen", "无"). */
function isAbsenceOnly(clause: string): boolean {
  // "不均", "不平": 不 and one character are a word of their own (uneven, not flat), not an absence.
  if (/^不\p{Script=Han}[.。]?$/u.test(clause.trim())) return false;
  let rest = clause;
  for (const hit of [...absenceCues.find(clause), ...negationCues.find(clause)].sort(
    (left, right) => right.term.length - left.term.length,
  ))
    rest = rest.replace(hit.term, ' ');
  rest = rest.replace(FILLER, ' ').replace(/[\s\p{P}]+/gu, '');
  // "NG found: 0", "rejects: nil": a count of zero on its own after the label it counts.
  return (rest.length === 0 && rest !== clause) || /^(0|zero|nil)\s*(pcs|pieces|件|把|个|只)?$/u.test(clause);
}

/** The defect words of the glossary, exact and ambiguous: what a list of things looked for holds. */
const DEFECT_WORDS = termMatcher(
  [...Object.values(GLOSSARY.defect_types), GLOSSARY.ambiguous].flatMap((list) => [...list.en, ...list.zh]),
);

/** A clause that opens a list with a negation: "no laps", "without burrs". */
const LIST_NEGATION_HEAD = /^(no|without|free (of|from)|neither)\s+\S/u;

/** Whether a position of a clause lies under a negation. */
export function isNegated({
  offset,
  negatedFrom,
  negatedTo,
  negatedUntil,
  spans = [],
}: {
  offset: number;
  negatedFrom: number;
  negatedTo: number;
  negatedUntil: number;
  spans?: ReadonlyArray<readonly [number, number]>;
}): boolean {
  return (
    (offset >= negatedFrom && offset < negatedTo) ||
    offset < negatedUntil ||
    spans.some(([from, to]) => offset >= from && offset < to)
  );
}

/** Whether a text holds Chinese characters. */
export function hasChinese(text: string): boolean {
  return HAN.test(text);
}
