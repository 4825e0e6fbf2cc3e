import type { z } from 'zod';
import type { FindSimilarDefectsOutput } from '../../../action-groups/similar-defects/schema.ts';
import type { LookupSopOutput } from '../../../action-groups/sop-lookup/schema.ts';
import type { ConsolidatedAnalysis, FollowUpAnswer } from '../../../domain/index.ts';
import { lastResult, type Conversation, type Skill } from './conversation.ts';

function analysisOf(conversation: Conversation): Partial<ConsolidatedAnalysis> {
  return (conversation.sections.analysis ?? {}) as Partial<ConsolidatedAnalysis>;
}

function questionOf(conversation: Conversation): string {
  const question = conversation.sections.question;
  return typeof question === 'string' ? question : JSON.stringify(question ?? '');
}

function summary(
  agent: string,
  analysis: Partial<ConsolidatedAnalysis>,
): { text: string; citations: string[] } {
  const classification = analysis.classification;
  const rootCause = analysis.root_cause;
  const actions = analysis.corrective_actions ?? [];
  if (agent === 'classifier') {
    if (!classification) return { text: 'The report has not been classified.', citations: [] };
    return {
      text:
        `It was classified as ${classification.defect_type} (${classification.severity}, confidence ${classification.confidence}), ` +
        `disposition ${classification.recommended_action}${classification.escalate ? `, escalated: ${classification.escalation_reason}` : ''}. ` +
        `Evidence: ${classification.evidence.slice(0, 3).join('; ')}.`,
      citations: classification.citations,
    };
  }
  if (agent === 'root-cause') {
    if (!rootCause) return { text: 'No root-cause analysis exists for this report.', citations: [] };
    return {
      text:
        `Probable stage: ${rootCause.probable_stage} (confidence ${rootCause.stage_confidence}). ` +
        `Occurrence: ${rootCause.root_cause.occurrence} Escape: ${rootCause.root_cause.escape} ` +
        `Systemic: ${rootCause.root_cause.systemic} (6M: ${rootCause.root_cause.category_6m}).`,
      citations: rootCause.root_cause.citations,
    };
  }
  if (actions.length === 0) return { text: 'No actions were planned for this report.', citations: [] };
  return {
    text: actions
      .map(
        (action) =>
          `${action.type}: ${action.description} (owner ${action.owner_role}, due ${action.due_date}; check ${action.effectiveness_check.metric}, ${action.effectiveness_check.threshold} within ${action.effectiveness_check.window_days} days)`,
      )
      .join(' '),
    citations: [...new Set(actions.flatMap((action) => action.citations))],
  };
}

/** The offline follow-up answer: fresh retrieval on the question, then the stored analysis plus the best passage. */
export const answerSkill: Skill = (conversation) => {
  const analysis = analysisOf(conversation);
  const question = questionOf(conversation).slice(0, 900) || 'details';
  const stage = analysis.root_cause?.probable_stage;
  const type = analysis.classification?.defect_type;
  const concreteType = type && type !== 'none' && type !== 'unknown' ? type : undefined;
  if (conversation.turn === 0) {
    return conversation.agent === 'root-cause'
      ? {
          toolUses: [
            {
              name: 'find_similar_defects',
              input: {
                description: question,
                ...(concreteType ? { filter: { defect_type: concreteType } } : {}),
                k: 3,
              },
            },
          ],
        }
      : { toolUses: [{ name: 'lookup_sop', input: { query: question, ...(stage ? { stage } : {}), k: 3 } }] };
  }
  const passages = lastResult<z.infer<typeof LookupSopOutput>>(conversation, 'lookup_sop')?.passages ?? [];
  const defects =
    lastResult<z.infer<typeof FindSimilarDefectsOutput>>(conversation, 'find_similar_defects')?.defects ?? [];
  const base = summary(conversation.agent, analysis);
  const fresh = passages[0]
    ? {
        text: `From ${passages[0].source_id} (${passages[0].section}): ${passages[0].text.replace(/\s+/g, ' ').slice(0, 320)}`,
        id: passages[0].chunk_id,
      }
    : defects[0]
      ? {
          text: `A similar confirmed case, ${defects[0].source_id}: ${defects[0].root_cause.occurrence.slice(0, 280)}`,
          id: defects[0].chunk_id,
        }
      : null;
  const answer: FollowUpAnswer = {
    answer: `${base.text}${fresh ? ` ${fresh.text}` : ''}`,
    citations: [...new Set([...base.citations, ...(fresh ? [fresh.id] : [])])],
  };
  return { final: answer };
};
