import { RootCauseAnalysis } from '../../domain/index.ts';
import { readInstruction, type AgentDefinition } from '../definition.ts';

/** The root-cause analyst: why did it happen? Stage, 5-why with evidence, 6M fishbone, three causes. */
export const rootCauseAgent: AgentDefinition<typeof RootCauseAnalysis> = {
  name: 'root-cause',
  description:
    'Finds the probable production stage, the 5-why chain with evidence, the 6M fishbone and the occurrence, escape and systemic causes.',
  foundationModelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
  instruction: readInstruction(new URL('./instruction.md', import.meta.url)),
  actionGroups: ['similar-defects', 'process-windows', 'sop-lookup', 'recurrence'],
  usesKnowledgeBase: true,
  outputSchema: RootCauseAnalysis,
};
