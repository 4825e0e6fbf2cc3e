import { z } from 'zod';
import { readJsonLines } from '../../domain/index.ts';

/** What a follow-up question asks about; each topic has its own rule in rubric.md. */
export const FollowUpTopic = z.enum([
  'why_stage',
  'which_sop',
  'history',
  'containment_shipped',
  'rework',
  'severity_line_stop',
  'missing_evidence',
  'effectiveness_check',
  'owner',
]);
export type FollowUpTopic = z.infer<typeof FollowUpTopic>;

/** The language a follow-up question is asked in. */
export const FollowUpLanguage = z.enum(['en', 'zh']);
export type FollowUpLanguage = z.infer<typeof FollowUpLanguage>;

/** One follow-up question about a case of an evaluation set (a line of a follow-ups JSONL file). */
export const FollowUp = z
  .object({
    id: z.string().min(1).max(80),
    case_id: z.string().min(1).max(80),
    question: z.string().trim().min(3).max(2000),
    language: FollowUpLanguage,
    topic: FollowUpTopic,
  })
  .strict();
export type FollowUp = z.infer<typeof FollowUp>;

/** How one answer was judged against the rubric. */
export interface FollowUpVerdict {
  onTopic: boolean;
  /** The answer is identical to the answer of another topic's question about the same case. */
  canned: boolean;
  /** The rubric requirements the answer does not meet (empty when on topic). */
  unmet: string[];
}

/** One follow-up question asked and judged. */
export interface FollowUpResult {
  id: string;
  caseId: string;
  topic: FollowUpTopic;
  language: FollowUpLanguage;
  question: string;
  /**
   * `error` when the target failed on the question or its case errored (not scored);
   * `no_analysis` when the case's answer was not a valid analysis.
   */
  outcome: 'ok' | 'error' | 'no_analysis';
  error: string | null;
  answer: string | null;
  /** Cited chunk ids of the answer. */
  citations: string[];
  latencyMs: number;
  verdict: FollowUpVerdict;
}

/** On-topic rate of a group of follow-up questions. */
export interface FollowUpGroupScores {
  questions: number;
  onTopicRate: number | null;
}

/** Aggregate follow-up scores of a set; rates are null when the set has no follow-up questions. */
export interface FollowUpMetrics {
  questions: number;
  /** Questions that got an answer (no error, the case's analysis existed). */
  answered: number;
  /**
   * Share of the questions answered on topic, out of those that did not error (the target failed,
   * or the case errored so the question was not asked); a question without an answer for another
   * reason (the case's answer was invalid) counts as off topic.
   */
  onTopicRate: number | null;
  /** Answers identical to another topic's answer for the same case. */
  cannedAnswers: number;
  perTopic: Record<string, FollowUpGroupScores>;
  perLanguage: Record<string, FollowUpGroupScores>;
}

/** Reads a JSONL file of follow-up questions; a bad line is a ValidationError naming the file and line. */
export async function readFollowUps(file: string): Promise<FollowUp[]> {
  return readJsonLines(file, FollowUp);
}

/** The questions and their on-topic rate; a question that errored is counted but not scored. */
function groupScores(results: readonly FollowUpResult[]): FollowUpGroupScores {
  const scored = results.filter((result) => result.outcome !== 'error');
  return {
    questions: results.length,
    onTopicRate:
      scored.length === 0 ? null : scored.filter((result) => result.verdict.onTopic).length / scored.length,
  };
}

/** Aggregates judged follow-ups: overall, per topic (every topic listed) and per language (en, zh). */
export function aggregateFollowUps(results: readonly FollowUpResult[]): FollowUpMetrics {
  const perTopic: Record<string, FollowUpGroupScores> = {};
  for (const topic of FollowUpTopic.options)
    perTopic[topic] = groupScores(results.filter((result) => result.topic === topic));
  const perLanguage: Record<string, FollowUpGroupScores> = {};
  for (const language of FollowUpLanguage.options)
    perLanguage[language] = groupScores(results.filter((result) => result.language === language));
  return {
    questions: results.length,
    answered: results.filter((result) => result.outcome === 'ok').length,
    onTopicRate: groupScores(results).onTopicRate,
    cannedAnswers: results.filter((result) => result.verdict.canned).length,
    perTopic,
    perLanguage,
  };
}
