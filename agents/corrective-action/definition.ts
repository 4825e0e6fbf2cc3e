import { ActionPlan } from '../../domain/index.ts';
import { readInstruction, type AgentDefinition } from '../definition.ts';

/** The corrective-action planner: what do we do? Containment, correction, corrective and preventive actions. */
export const correctiveActionAgent: AgentDefinition<typeof ActionPlan> = {
  name: 'corrective-action',
  description:
    'Plans containment, correction, corrective and preventive actions with owners, due dates and effectiveness checks.',
  foundationModelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
  instruction: readInstruction(new URL('./instruction.md', import.meta.url)),
  actionGroups: ['capa-draft', 'sop-lookup', 'similar-defects', 'recurrence'],
  usesKnowledgeBase: true,
  outputSchema: ActionPlan,
};
