import type { Facility, ProductionStage, ProductSku } from '../../domain/index.ts';
import {
  ALTERNATIVE_MARKERS,
  ASSUMED_PLACE,
  CONCESSION,
  FACILITY_TERMS,
  FOLLOW_UP_INTENTS,
  INTENT_CUES,
  OPEN_ALTERNATIVE,
  SKU_TERMS,
  STAGE_TERMS,
  WINDOW_TERMS,
  type FollowUpIntent,
} from './intent-rules.ts';

export {
  FOLLOW_UP_INTENTS,
  INTENT_SPECIALIST,
  type AnsweringSpecialist,
  type FollowUpIntent,
} from './intent-rules.ts';

/** The language a follow-up is answered in. */
export type AnswerLanguage = 'en' | 'zh';

/** What a follow-up question asks, and the things it names. */
export interface RecognizedQuestion {
  intent: FollowUpIntent;
  /** The score of each intent that matched at all, for traces and tests. */
  scores: Partial<Record<FollowUpIntent, number>>;
  language: AnswerLanguage;
  /** The first facility the question names. */
  facility?: Facility;
  /** Every facility the question names, when it names more than one ("in Shenzhen and Hong Kong"). */
  facilities?: Facility[];
  productSku?: ProductSku;
  /** Stages the question names, in the order of the stage list. */
  stages: ProductionStage[];
  /** The alternative the question has in mind ("why X and not Y"): a stage, or the words used. */
  alternative?: { text: string; stage?: ProductionStage };
  /** Where the question says the analysis put the defect ("why put it at the final wash rather than …"). */
  assumed?: string;
  /** The question leaves the other place open ("… or somewhere else?"): the asker's own words for it. */
  elsewhere?: string;
  /** A look-back window the question names, in days. */
  windowDays?: number;
  /** The question asks whether the parts may go as they are, under a concession. */
  concession?: boolean;
}

const HAN = /\p{Script=Han}/gu;
const LATIN_WORD = /[A-Za-z]{2,}/g;

/**
 * The language to answer in: Chinese when the question carries at least as many Chinese
 * characters as Latin words (so a mixed question in Chinese with English codes is Chinese, and an
 * English question quoting one Chinese term stays English).
 */
export function questionLanguage(question: string): AnswerLanguage {
  const han = question.match(HAN)?.length ?? 0;
  const latin = question.match(LATIN_WORD)?.length ?? 0;
  return han > 0 && han >= latin ? 'zh' : 'en';
}

function firstMatch<Key extends string>(terms: Record<Key, RegExp>, text: string): Key | undefined {
  return (Object.keys(terms) as Key[]).find((key) => terms[key].test(text));
}

function stageOf(text: string): ProductionStage | undefined {
  return firstMatch(STAGE_TERMS, text);
}

function alternativeOf(question: string): RecognizedQuestion['alternative'] {
  for (const marker of ALTERNATIVE_MARKERS) {
    const text = marker.exec(question)?.[1]?.trim();
    if (text) {
      const stage = stageOf(text);
      return stage ? { text, stage } : { text };
    }
  }
  return undefined;
}

/** A question typed with spaces between Chinese words ("你 还 需要 我 提供 什么"), read as written without them. */
function withoutSpacesInChinese(question: string): string {
  return question.replace(/(?<=\p{Script=Han})\s+(?=\p{Script=Han})/gu, '');
}

/** The score of each intent: the sum of the weights of its cues whose patterns all match. */
export function scoreIntents(asked: string): Partial<Record<FollowUpIntent, number>> {
  const question = withoutSpacesInChinese(asked);
  const scores: Partial<Record<FollowUpIntent, number>> = {};
  for (const intent of FOLLOW_UP_INTENTS) {
    if (intent === 'general') continue;
    const score = INTENT_CUES[intent]
      .filter((cue) => cue.patterns.every((pattern) => pattern.test(question)))
      .reduce((sum, cue) => sum + cue.weight, 0);
    if (score > 0) scores[intent] = score;
  }
  return scores;
}

/**
 * Recognises a follow-up question: the intent with the highest score (ties go to the earlier
 * intent of {@link FOLLOW_UP_INTENTS}; no cue at all is `general`), the answer language, and the
 * facility, SKU, stages, alternative and look-back window it names.
 */
export function recognizeQuestion(asked: string): RecognizedQuestion {
  const question = withoutSpacesInChinese(asked);
  const scores = scoreIntents(question);
  let intent: FollowUpIntent = 'general';
  let best = 0;
  for (const candidate of FOLLOW_UP_INTENTS) {
    const score = scores[candidate] ?? 0;
    if (score > best) {
      best = score;
      intent = candidate;
    }
  }
  const stages = (Object.keys(STAGE_TERMS) as ProductionStage[]).filter((stage) =>
    STAGE_TERMS[stage].test(question),
  );
  const facility = firstMatch(FACILITY_TERMS, question);
  const facilities = (Object.keys(FACILITY_TERMS) as Facility[]).filter((key) =>
    FACILITY_TERMS[key].test(question),
  );
  const productSku = firstMatch(SKU_TERMS, question);
  const alternative = alternativeOf(question);
  const assumed = ASSUMED_PLACE.exec(question)?.[1]?.trim();
  const elsewhere = OPEN_ALTERNATIVE.exec(question)?.[1]?.trim();
  const windowDays = WINDOW_TERMS.find((term) => term.pattern.test(question))?.days;
  return {
    intent,
    scores,
    language: questionLanguage(question),
    stages,
    ...(facility ? { facility } : {}),
    ...(facilities.length > 1 ? { facilities } : {}),
    ...(productSku ? { productSku } : {}),
    ...(alternative ? { alternative } : {}),
    ...(assumed ? { assumed } : {}),
    ...(elsewhere ? { elsewhere } : {}),
    ...(windowDays ? { windowDays } : {}),
    ...(CONCESSION.test(question) ? { concession: true } : {}),
  };
}
