import { classifierAgent } from './classifier/definition.ts';
import { correctiveActionAgent } from './corrective-action/definition.ts';
import type { AgentDefinition, AgentId } from './definition.ts';
import { rootCauseAgent } from './root-cause/definition.ts';
import { supervisorAgent } from './supervisor/definition.ts';

export { classifierAgent, correctiveActionAgent, rootCauseAgent, supervisorAgent };

/** Every agent definition, by name. */
export const AGENTS: Record<AgentId, AgentDefinition> = {
  classifier: classifierAgent,
  'root-cause': rootCauseAgent,
  'corrective-action': correctiveActionAgent,
  supervisor: supervisorAgent,
};
