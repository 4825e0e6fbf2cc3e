import type { z } from 'zod';
import type { AccessScope } from '../../action-groups/scope.ts';
import type { AgentDefinition } from '../definition.ts';
import type { ContentBlock, TokenUsage } from '../models/model.ts';

/** Whether the agent produces its analysis output or answers a follow-up question. */
export type InvocationMode = 'analyze' | 'answer';

/** Parameters of {@link AgentRuntime.invoke}. */
export interface InvokeParams {
  agent: AgentDefinition;
  /** The user turn: text, or content blocks (text and images). */
  input: string | ContentBlock[];
  sessionId: string;
  mode?: InvocationMode;
  /** Schema of the final answer; the agent's output schema by default. */
  outputSchema?: z.ZodType;
  /**
   * What the agent's tools may read (the caller's facility); every facility when omitted. The
   * runtime passes it to every tool call, which reads history and the knowledge base through it.
   */
  scope?: AccessScope;
  signal?: AbortSignal;
}

/** What happens during an invocation, in order. The last event is always `final`. */
export type AgentEvent =
  | {
      type: 'model_call';
      agent: string;
      step: number;
      durationMs: number;
      usage: TokenUsage;
      stopReason: string;
    }
  | {
      type: 'tool_call';
      agent: string;
      step: number;
      toolUseId: string;
      name: string;
      input: unknown;
      durationMs: number;
      status: 'success' | 'error';
      error?: string;
    }
  | { type: 'retrieval'; agent: string; step: number; tool: string; chunkIds: string[] }
  | { type: 'repair'; agent: string; step: number; reason: string }
  | { type: 'final'; agent: string; output: unknown; usage: TokenUsage; durationMs: number; steps: number };

/**
 * The AgentRuntime port: runs one agent on one input and streams what happens. Errors
 * (timeouts, cancellation, invalid output, step limit) are thrown from the iteration as typed
 * errors.
 */
export interface AgentRuntime {
  invoke(params: InvokeParams): AsyncIterable<AgentEvent>;
}

/** Runs an invocation to its end and returns the final event; the other events go to `onEvent`. */
export async function runToCompletion(
  iterable: AsyncIterable<AgentEvent>,
  onEvent?: (event: AgentEvent) => void,
): Promise<Extract<AgentEvent, { type: 'final' }>> {
  let final: Extract<AgentEvent, { type: 'final' }> | undefined;
  for await (const event of iterable) {
    onEvent?.(event);
    if (event.type === 'final') final = event;
  }
  if (!final) throw new Error('the agent runtime ended without a final event');
  return final;
}
