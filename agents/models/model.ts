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

/**
 * Token usage of one call, in whole tokens. With prompt caching (Bedrock's `cachePoint`),
 * `inputTokens` counts only the input neither read from nor written to the cache, as Converse
 * reports it.
 */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  /** All the tokens of the call: input (uncached, cache read, cache write) and output. */
  totalTokens: number;
  /** Input tokens read from the prompt cache; absent when the model does not report caching. */
  cacheReadInputTokens?: number;
  /** Input tokens written to the prompt cache; absent when the model does not report caching. */
  cacheWriteInputTokens?: number;
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

/** Adds token usages; the cache counts are present when either side has them. */
export function addUsage(left: TokenUsage, right: TokenUsage): TokenUsage {
  const sum: TokenUsage = {
    inputTokens: left.inputTokens + right.inputTokens,
    outputTokens: left.outputTokens + right.outputTokens,
    totalTokens: left.totalTokens + right.totalTokens,
  };
  if (left.cacheReadInputTokens !== undefined || right.cacheReadInputTokens !== undefined)
    sum.cacheReadInputTokens = (left.cacheReadInputTokens ?? 0) + (right.cacheReadInputTokens ?? 0);
  if (left.cacheWriteInputTokens !== undefined || right.cacheWriteInputTokens !== undefined)
    sum.cacheWriteInputTokens = (left.cacheWriteInputTokens ?? 0) + (right.cacheWriteInputTokens ?? 0);
  return sum;
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
