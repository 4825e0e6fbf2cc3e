import type { z } from 'zod';
import type { CountRecurrencesOutput } from '../../../action-groups/recurrence/schema.ts';
import type { FindSimilarDefectsOutput } from '../../../action-groups/similar-defects/schema.ts';
import type { LookupSopOutput } from '../../../action-groups/sop-lookup/schema.ts';
import type { ConsolidatedAnalysis } from '../../../domain/index.ts';
import { recognizeQuestion } from '../../router/intent.ts';
import { composeAnswer } from './answer/compose.ts';
import { followUpContext, planToolUses } from './answer/plan.ts';
import { allResults, lastResult, type Conversation, type Skill } from './conversation.ts';

function analysisOf(conversation: Conversation): Partial<ConsolidatedAnalysis> {
  return (conversation.sections.analysis ?? {}) as Partial<ConsolidatedAnalysis>;
}

function questionOf(conversation: Conversation): string {
  const question = conversation.sections.question;
  return typeof question === 'string' ? question : JSON.stringify(question ?? '');
}

/**
 * The offline follow-up answer. It recognises what the question asks (see
 * `agents/router/intent.ts`), asks in its first turn for the tools that intent needs (the SOP
 * sentences of the analysis's stage, the recurrence count and past records of the facility or SKU
 * asked about), then answers that question from the stored analysis and the tool results, in the
 * question's language, citing the passages it used.
 */
export const answerSkill: Skill = (conversation) => {
  const question = recognizeQuestion(questionOf(conversation).slice(0, 900));
  const context = followUpContext(analysisOf(conversation), question);
  if (conversation.turn === 0) {
    const toolUses = planToolUses(context, conversation.tools);
    if (toolUses.length > 0) return { toolUses };
  }
  return {
    final: composeAnswer(
      context,
      {
        sopLookups: allResults<z.infer<typeof LookupSopOutput>>(conversation, 'lookup_sop').map(
          (result) => result.passages,
        ),
        recurrences: allResults<z.infer<typeof CountRecurrencesOutput>>(conversation, 'count_recurrences'),
        similarDefects:
          lastResult<z.infer<typeof FindSimilarDefectsOutput>>(conversation, 'find_similar_defects')
            ?.defects ?? [],
      },
      conversation.agent,
    ),
  };
};
