import { readFileSync } from 'node:fs';
import type { z } from 'zod';

/** Names of the agents. */
export type AgentId = 'classifier' | 'root-cause' | 'corrective-action' | 'supervisor';

/** An agent, defined once as data: CDK, the local runtime and the Bedrock runtime all read it. */
export interface AgentDefinition<Output extends z.ZodType = z.ZodType> {
  name: AgentId;
  description: string;
  /** Default Bedrock foundation model (inference profile) id. */
  foundationModelId: string;
  /** The versioned prompt, read from `agents/<name>/instruction.md`. */
  instruction: string;
  /** Names of the action groups whose tools the agent may call. */
  actionGroups: readonly string[];
  usesKnowledgeBase: boolean;
  outputSchema: Output;
  /** Collaborators, for the supervisor. */
  collaborators?: readonly AgentId[];
  /**
   * What the agent reads of a tool's result, by tool name: a view without what the agent does not
   * use, so fewer tokens reach its model. The tool's full output is still validated; the local
   * runtime sends the view and traces the chunk ids the view holds.
   */
  toolResultViews?: Readonly<Record<string, (output: unknown) => unknown>>;
}

/** Reads an agent's `instruction.md` next to its definition; a missing prompt fails at load. */
export function readInstruction(url: URL): string {
  const text = readFileSync(url, 'utf8').trim();
  if (text.length < 200) throw new Error(`${url.pathname}: the instruction is missing or too short`);
  return text;
}
