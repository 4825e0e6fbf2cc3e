import { Classification } from '../../domain/index.ts';
import { readInstruction, type AgentDefinition } from '../definition.ts';
import { similarDefectsForClassifier } from './tool-views.ts';

/** The classifier: what is it? Defect type, severity, confidence, disposition, escalation. */
export const classifierAgent: AgentDefinition<typeof Classification> = {
  name: 'classifier',
  description:
    'Classifies an inspection report: defect type, severity, confidence, disposition and escalation.',
  foundationModelId: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
  instruction: readInstruction(new URL('./instruction.md', import.meta.url)),
  actionGroups: ['defect-taxonomy', 'process-windows', 'similar-defects', 'sop-lookup'],
  usesKnowledgeBase: true,
  outputSchema: Classification,
  toolResultViews: { find_similar_defects: similarDefectsForClassifier },
};
