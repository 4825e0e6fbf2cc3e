import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { GLOSSARY, type TermLists } from '../../domain/index.ts';
import { PLANT_VOCABULARY } from './plant-vocabulary.ts';

const HAN = /\p{Script=Han}/u;
const HAN_RUN = /\p{Script=Han}+/gu;

/** Glossary sections whose entries name a thing (a defect, stage, area, cause…), not a function word. */
const CONCEPT_SECTIONS = [
  'defect_types',
  'stages',
  'escape_points',
  'products',
  'areas',
  'causes_6m',
  'detection_points',
  'severity_cues',
] as const;

/** Chinese function words and fillers that carry nothing for retrieval. */
const CHINESE_STOPWORDS = new Set(
  (
    '的 了 在 是 有 和 与 及 或 等 把 被 将 对 从 到 也 都 就 还 又 而 并 但 这 那 个 些 我们 你们 他们 ' +
    '我 你 他 她 它 吗 呢 吧 啊 呀 哪 什么 怎么 如何 为什么 是否 多少 一个 一些 这个 那个 可以 需要 应该 ' +
    '要 会 能 没有 不 很 更 最 已 已经 之 其 后 前 时 中 上 下 里 出现 发现 附近 导致 造成 情况 问题 进行 ' +
    '产生 目前 以及 因为 所以 如果 然后 之后 之前 左右 大约 请问 怎么办'
  ).split(' '),
);

/** English words standing for a glossary entry: its code's words and its first English term. */
function englishOf(code: string, terms: TermLists): string {
  const first = (terms.en[0] ?? '').replace(/\*$/, '');
  const words = code.replaceAll('_', ' ');
  return first.length > 0 && first !== words ? `${words} ${first}` : words;
}

/** Each Chinese glossary term with the English it translates to, longest first. */
const TRANSLATIONS: ReadonlyArray<readonly [string, string]> = (() => {
  const pairs = new Map<string, string>();
  for (const section of CONCEPT_SECTIONS) {
    for (const [code, terms] of Object.entries(GLOSSARY[section]) as Array<[string, TermLists]>) {
      const english = englishOf(code, terms);
      for (const term of terms.zh) {
        const existing = pairs.get(term);
        if (existing === undefined) pairs.set(term, english);
        else if (!existing.includes(english)) pairs.set(term, `${existing} ${english}`);
      }
    }
  }
  return [...pairs.entries()].sort((left, right) => right[0].length - left[0].length);
})();

/** Each plant-vocabulary word with its English, longest first. */
const PLANT_TRANSLATIONS: ReadonlyArray<readonly [string, string]> = [...PLANT_VOCABULARY.entries()].sort(
  (left, right) => right[0].length - left[0].length,
);

let segmenter: Jieba | undefined;

/**
 * jieba with its default dictionary, the glossary's Chinese terms and the plant vocabulary's words,
 * so that they stay whole words.
 */
function chineseSegmenter(): Jieba {
  if (!segmenter) {
    segmenter = Jieba.withDict(dict);
    const words = [...new Set([...TRANSLATIONS, ...PLANT_TRANSLATIONS].map(([term]) => term))].filter(
      (term) => !/\s/.test(term),
    );
    if (words.length > 0) segmenter.loadDict(Buffer.from(words.map((word) => `${word} 200000`).join('\n')));
  }
  return segmenter;
}

/** Whether a text holds Chinese characters. */
export function hasChinese(text: string): boolean {
  return HAN.test(text);
}

/**
 * The Chinese words of a text, segmented by jieba (with the glossary's terms as words), without
 * function words and single characters that are not glossary terms.
 */
export function chineseWords(text: string): string[] {
  if (!hasChinese(text)) return [];
  const glossaryTerms = new Set(TRANSLATIONS.map(([term]) => term));
  const words: string[] = [];
  for (const run of text.normalize('NFKC').matchAll(HAN_RUN)) {
    for (const word of chineseSegmenter().cut(run[0], false)) {
      if (CHINESE_STOPWORDS.has(word)) continue;
      if (word.length < 2 && !glossaryTerms.has(word)) continue;
      words.push(word);
    }
  }
  return words;
}

interface Span {
  start: number;
  end: number;
  english: string;
}

/** The terms of a table found in a normalised text: longest first, not overlapping each other. */
function findTerms(normalised: string, table: ReadonlyArray<readonly [string, string]>): Span[] {
  const taken: Span[] = [];
  for (const [term, english] of table) {
    for (let index = normalised.indexOf(term); index >= 0; index = normalised.indexOf(term, index + 1)) {
      const end = index + term.length;
      if (taken.some((span) => index < span.end && end > span.start)) continue;
      taken.push({ start: index, end, english });
    }
  }
  return taken;
}

/**
 * The English of the glossary terms found in a Chinese or mixed text (longest terms first, not
 * overlapping), in order of appearance: "刀刃上有锈斑" gives "cutting edge edge rust spot rust".
 * Empty for a text without Chinese.
 */
export function translateGlossaryTerms(text: string): string {
  if (!hasChinese(text)) return '';
  return findTerms(text.normalize('NFKC').toLowerCase(), TRANSLATIONS)
    .sort((left, right) => left.start - right.start)
    .map((span) => span.english)
    .join(' ');
}

/**
 * The English of a Chinese or mixed text for retrieval, in order of appearance: the glossary's terms
 * as in {@link translateGlossaryTerms} and the plant vocabulary's words (equipment, consumables,
 * parameters…), a glossary term before a plant word found at the same place. The glossary wins:
 * a plant word inside a longer glossary term, or across its boundary, is not read, and a plant
 * word gives only the English words the translation does not hold yet. "冷却液流量低，砂轮" gives
 * "coolant flow taper grinding taper grind machine wheel". Empty for a text without Chinese.
 */
export function translateChineseTerms(text: string): string {
  if (!hasChinese(text)) return '';
  const normalised = text.normalize('NFKC').toLowerCase();
  const glossary = findTerms(normalised, TRANSLATIONS);
  const plant = findTerms(normalised, PLANT_TRANSLATIONS).filter((span) =>
    glossary.every(
      (term) =>
        span.end <= term.start ||
        span.start >= term.end ||
        (span.start <= term.start && span.end >= term.end),
    ),
  );
  const ordered = [
    ...glossary.map((span) => ({ ...span, plant: false })),
    ...plant.map((span) => ({ ...span, plant: true })),
  ].sort((left, right) => left.start - right.start || Number(left.plant) - Number(right.plant));
  const seen = new Set(glossary.flatMap((span) => span.english.split(' ')));
  const words: string[] = [];
  for (const span of ordered) {
    for (const word of span.english.split(' ')) {
      if (!span.plant) words.push(word);
      else if (!seen.has(word)) {
        seen.add(word);
        words.push(word);
      }
    }
  }
  return words.join(' ');
}
