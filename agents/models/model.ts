import type { ToolSpec } from '../../action-groups/action-group.ts';

/** A block of message content, shaped like Bedrock Converse's `ContentBlock`. */
export type ContentBlock =
  | { text: string }
  | { toolUse: { toolUseId: string; name: string; input: unknown } }
  | {
      toolResult: {
        toolUseId: string;
        content: Array<{ json: unknown } | { text: string }>;
        status?: 'success' | 'error';
      };
    }
  | { image: { format: 'jpeg' | 'png' | 'webp'; source: { bytes: Uint8Array } } };

/** One conversation turn. */
export interface Message {
  role: 'user' | 'assistant';
  content: ContentBlock[];
}

/** How the model may use tools: Converse's `toolChoice`. */
export type ToolChoice =
  { auto: Record<string, never> } | { any: Record<string, never> } | { tool: { name: string } };

/** Parameters of {@link Model.converse}, Converse-shaped. */
export interface ConverseParams {
  system: Array<{ text: string }>;
  messages: readonly Message[];
  tools?: readonly ToolSpec[];
  toolChoice?: ToolChoice;
  /** Key/values about the call (Converse `requestMetadata`): the agent and mode, for logs and the offline model. */
  requestMetadata?: Record<string, string>;
  /**
   * Cancels the call: once it is aborted, {@link Model.converse} rejects with a `CancelledError`
   * (from `domain/errors.ts`), and a signal already aborted makes no call at all.
   */
  signal?: AbortSignal;
}

/** Token usage of one call, in whole tokens. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  /** `inputTokens + outputTokens`. */
  totalTokens: number;
}

/** Why the model stopped. */
export type StopReason =
  'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence' | 'guardrail_intervened' | 'content_filtered';

/** The answer of {@link Model.converse}, Converse-shaped. */
export interface ConverseResult {
  output: { message: Message };
  stopReason: StopReason;
  usage: TokenUsage;
  metrics?: { latencyMs: number };
}

/**
 * The Model port: one Converse-shaped call. `testing/model-contract.ts` holds the contract every
 * adapter is tested against.
 */
export interface Model {
  /** Model id, e.g. `offline-v1` or a Bedrock model id. */
  readonly id: string;
  /**
   * Whether image blocks reach the model. When false, image blocks are left out and a call that
   * holds them is still answered.
   */
  readonly supportsImages: boolean;
  /**
   * Asks for the next assistant turn. The answer's `stopReason` is `tool_use` when it asks for tools
   * (its toolUse blocks, each with a toolUseId unique in the conversation) and `end_turn` when it is
   * done without them.
   */
  converse(params: ConverseParams): Promise<ConverseResult>;
}

/** Adds token usages. */
export function addUsage(left: TokenUsage, right: TokenUsage): TokenUsage {
  return {
    inputTokens: left.inputTokens + right.inputTokens,
    outputTokens: left.outputTokens + right.outputTokens,
    totalTokens: left.totalTokens + right.totalTokens,
  };
}

/** Zero usage. */
export const NO_USAGE: TokenUsage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };

/** The concatenated text blocks of a message. */
export function messageText(message: Message): string {
  return message.content
    .flatMap((block) => ('text' in block ? [block.text] : []))
    .join('\n')
    .trim();
}
