import { SupervisorOutput } from '../../domain/index.ts';
import { readInstruction, type AgentDefinition } from '../definition.ts';

/**
 * The supervisor of Bedrock multi-agent collaboration: routes to the three specialists and
 * merges their answers. The local pipeline does the same in code (see the orchestrator).
 */
export const supervisorAgent: AgentDefinition<typeof SupervisorOutput> = {
  name: 'supervisor',
  description:
    'Routes an inspection report to the classifier, root-cause analyst and corrective-action planner and merges their answers.',
  foundationModelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
  instruction: readInstruction(new URL('./instruction.md', import.meta.url)),
  actionGroups: [],
  usesKnowledgeBase: false,
  outputSchema: SupervisorOutput,
  collaborators: ['classifier', 'root-cause', 'corrective-action'],
};
