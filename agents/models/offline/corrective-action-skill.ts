import type { z } from 'zod';
import type { DraftCapaOutput } from '../../../action-groups/capa-draft/schema.ts';
import type { CountRecurrencesOutput } from '../../../action-groups/recurrence/schema.ts';
import type {
  ActionPlan,
  Classification,
  CorrectiveAction,
  RootCauseAnalysis,
} from '../../../domain/index.ts';
import { reportOf } from './classifier-skill.ts';
import { lastResult, type Skill } from './conversation.ts';

/** A calendar date `days` after an ISO date. */
function addDays(date: string, days: number): string {
  const value = new Date(`${date}T00:00:00Z`);
  value.setUTCDate(value.getUTCDate() + days);
  return value.toISOString().slice(0, 10);
}

/** The offline corrective-action planner: the CAPA draft from SOP reaction plans and effective past actions, plus recurrence. */
export const correctiveActionSkill: Skill = (conversation) => {
  const report = reportOf(conversation);
  const classification = conversation.sections.classification as Classification | undefined;
  const rootCause = conversation.sections.root_cause as RootCauseAnalysis | undefined;
  const type = classification?.defect_type;
  if (!rootCause || !type || type === 'none' || type === 'unknown') {
    return { final: { corrective_actions: [] } };
  }
  if (conversation.turn === 0) {
    return {
      toolUses: [
        {
          name: 'draft_capa',
          input: {
            defect_type: type,
            stage: rootCause.probable_stage,
            severity: classification.severity === 'none' ? 'minor' : classification.severity,
            root_cause: {
              category_6m: rootCause.root_cause.category_6m,
              occurrence: rootCause.root_cause.occurrence.slice(0, 2000),
              escape: rootCause.root_cause.escape.slice(0, 2000),
              systemic: rootCause.root_cause.systemic.slice(0, 2000),
              hypothesis: /^(hypothesis|not established)/i.test(rootCause.root_cause.occurrence),
            },
            scope: {
              ...(report.facility ? { facility: report.facility } : {}),
              ...(report.product_sku ? { product_sku: report.product_sku } : {}),
              ...(report.batch_id ? { batch_id: report.batch_id } : {}),
              ...(report.description ? { symptom: report.description.slice(0, 300) } : {}),
            },
          },
        },
        {
          name: 'count_recurrences',
          input: { defect_type: type, stage: rootCause.probable_stage, window_days: 180 },
        },
      ],
    };
  }
  const draft = lastResult<z.infer<typeof DraftCapaOutput>>(conversation, 'draft_capa');
  const recurrence = lastResult<z.infer<typeof CountRecurrencesOutput>>(conversation, 'count_recurrences');
  const actions: CorrectiveAction[] = [...(draft?.actions ?? [])];
  const preventive = actions.find((action) => action.type === 'preventive');
  if (recurrence?.recurring && preventive) {
    actions.push({
      type: 'preventive',
      description: `Recurring: ${recurrence.count} confirmed ${type.replaceAll('_', ' ')} defects at ${rootCause.probable_stage.replaceAll('_', ' ')} in ${recurrence.window_days} days (${recurrence.recent_defect_ids.slice(0, 3).join(', ')}). Review why earlier actions did not hold and add the failure mode to the PFMEA with a detection control.`,
      owner_role: 'Quality manager',
      due_date: addDays(preventive.due_date, 0),
      effectiveness_check: {
        metric: `${type.replaceAll('_', ' ')} occurrences at ${rootCause.probable_stage.replaceAll('_', ' ')}`,
        threshold: 'none in the window',
        window_days: 180,
      },
      citations: preventive.citations,
    });
  }
  const plan: ActionPlan = { corrective_actions: actions };
  return { final: plan };
};
