import type { z } from 'zod';
import type { LookupSopOutput } from '../../../../action-groups/sop-lookup/schema.ts';

/** One SOP passage as `lookup_sop` returns it. */
export type SopPassage = z.infer<typeof LookupSopOutput>['passages'][number];

/** A sentence of an SOP passage, with what is needed to cite it. */
export interface QuotedSentence {
  text: string;
  passage: SopPassage;
}

/** A pattern a sentence should match, and how much a match counts. */
export interface SentenceCue {
  pattern: RegExp;
  weight: number;
}

const LIST_MARKER = /^\s*(?:[-*]|\d+[.)])\s+/;
const SENTENCE_END = /(?<=[.;!?])\s+(?=[A-Z0-9(*"])/;

/**
 * The sentences of a passage: one per line or sentence, without table rows, headings or list
 * markers, Markdown emphasis removed.
 */
export function splitSentences(text: string): string[] {
  return text
    .split(/\n+/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('|') && !line.startsWith('#'))
    .map((line) => line.replace(LIST_MARKER, '').replaceAll('**', '').replaceAll('`', ''))
    .flatMap((line) => line.split(SENTENCE_END))
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length >= 12 && !sentence.endsWith(':'));
}

function score(sentence: string, cues: readonly SentenceCue[]): number {
  return cues.reduce((sum, cue) => sum + (cue.pattern.test(sentence) ? cue.weight : 0), 0);
}

/**
 * The sentence of the passages that matches the cues best (earlier passages win ties), or
 * undefined when none scores at least `minimum`.
 */
export function bestSentence(
  passages: readonly SopPassage[],
  cues: readonly SentenceCue[],
  minimum = 1,
): QuotedSentence | undefined {
  let best: QuotedSentence | undefined;
  let bestScore = minimum - 1;
  for (const passage of passages) {
    for (const sentence of splitSentences(passage.text)) {
      const sentenceScore = score(sentence, cues);
      if (sentenceScore > bestScore) {
        bestScore = sentenceScore;
        best = { text: sentence, passage };
      }
    }
  }
  return best;
}

const COMMON_WORDS = new Set([
  'from',
  'with',
  'that',
  'this',
  'than',
  'when',
  'where',
  'were',
  'have',
  'into',
  'only',
  'else',
  'blade',
  'body',
]);

/** Cues from the words of a description: each word of four letters or more, once, common words left out. */
export function wordCues(text: string, weight = 1): SentenceCue[] {
  const words = new Set(
    text
      .toLowerCase()
      .split(/[^a-z]+/)
      .filter((word) => word.length >= 4 && !COMMON_WORDS.has(word)),
  );
  return [...words].map((word) => ({ pattern: new RegExp(`\\b${word.slice(0, 6)}`, 'i'), weight }));
}

/**
 * The passages ordered by how many of the cues their title and text match (a stable sort, so the
 * retrieval order breaks ties).
 */
export function rankPassages(passages: readonly SopPassage[], cues: readonly SentenceCue[]): SopPassage[] {
  const scored = passages.map((passage, index) => ({
    passage,
    index,
    score: score(`${passage.title} ${passage.text}`, cues),
  }));
  return scored
    .sort((left, right) => right.score - left.score || left.index - right.index)
    .map((entry) => entry.passage);
}

/** A sentence quoted with its SOP id and section, e.g. `SOP-BW-01 (Reaction plan): "…"`. */
export function quote(sentence: QuotedSentence): string {
  return `${sentence.passage.source_id} (${sentence.passage.section}): "${sentence.text.replace(/\.$/, '')}"`;
}
