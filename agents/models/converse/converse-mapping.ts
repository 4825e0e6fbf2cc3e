import type {
  ContentBlock as BedrockContentBlock,
  ConverseResponse,
  Message as BedrockMessage,
  StopReason as BedrockStopReason,
  SystemContentBlock,
  TokenUsage as BedrockTokenUsage,
  Tool,
  ToolChoice as BedrockToolChoice,
  ToolConfiguration,
  ToolResultContentBlock,
  ToolUseBlock,
} from '@aws-sdk/client-bedrock-runtime';
import type {
  ContentBlock,
  ConverseParams,
  ConverseResult,
  Message,
  StopReason,
  TokenUsage,
  ToolChoice,
} from '../model.ts';
import type { ToolSpec } from '../../../action-groups/action-group.ts';

/** A JSON document as the SDK types it (tool inputs, tool results, JSON schemas). */
export type BedrockDocument = NonNullable<ToolUseBlock['input']>;

/** A Converse cache checkpoint: what comes before it is cached for the next calls (5 minutes). */
export const CACHE_POINT = { cachePoint: { type: 'default' } } as const;

/**
 * Converts our system prompt blocks to Converse `system` blocks, followed by a cache checkpoint
 * when `cache` is true and there is a system prompt.
 */
export function toBedrockSystem(system: ConverseParams['system'], cache = false): SystemContentBlock[] {
  const blocks: SystemContentBlock[] = system.map((block) => ({ text: block.text }));
  return cache && blocks.length > 0 ? [...blocks, CACHE_POINT] : blocks;
}

/** The text that stands in for a turn's image blocks when they are left out and nothing else is left. */
export const IMAGE_LEFT_OUT_TEXT = '[An image was attached here; this model does not read images.]';

/**
 * Converts our messages to Converse messages.
 * With `supportsImages` false, image blocks are left out, so they never reach the model; a turn that
 * held only images gets {@link IMAGE_LEFT_OUT_TEXT} instead, since Converse rejects a message with
 * no content.
 */
export function toBedrockMessages(messages: readonly Message[], supportsImages: boolean): BedrockMessage[] {
  return messages.map((message) => {
    const content = message.content.flatMap((block) => toBedrockBlock(block, supportsImages));
    return {
      role: message.role,
      content: content.length === 0 && message.content.length > 0 ? [{ text: IMAGE_LEFT_OUT_TEXT }] : content,
    };
  });
}

function toBedrockBlock(block: ContentBlock, supportsImages: boolean): BedrockContentBlock[] {
  if ('text' in block) return [{ text: block.text }];
  if ('toolUse' in block) {
    const { toolUseId, name, input } = block.toolUse;
    return [{ toolUse: { toolUseId, name, input: (input ?? {}) as BedrockDocument } }];
  }
  if ('toolResult' in block) {
    const { toolUseId, content, status } = block.toolResult;
    const converted: ToolResultContentBlock[] = content.map((item) =>
      'json' in item ? { json: item.json as BedrockDocument } : { text: item.text },
    );
    return [{ toolResult: { toolUseId, content: converted, ...(status ? { status } : {}) } }];
  }
  if (!supportsImages) return [];
  return [{ image: { format: block.image.format, source: { bytes: block.image.source.bytes } } }];
}

/**
 * Builds Converse `toolConfig`, or `undefined` when no tools are offered (Converse rejects an empty
 * list). With `cache` true the tool specs end with a cache checkpoint.
 */
export function toBedrockToolConfig(
  tools: readonly ToolSpec[] | undefined,
  toolChoice: ToolChoice | undefined,
  cache = false,
): ToolConfiguration | undefined {
  if (!tools || tools.length === 0) return undefined;
  const bedrockTools: Tool[] = tools.map((tool) => ({
    toolSpec: {
      name: tool.name,
      description: tool.description,
      inputSchema: { json: tool.inputSchema.json as BedrockDocument },
    },
  }));
  if (cache) bedrockTools.push(CACHE_POINT);
  const choice = toolChoice ? toBedrockToolChoice(toolChoice) : undefined;
  return { tools: bedrockTools, ...(choice ? { toolChoice: choice } : {}) };
}

/**
 * Whether Bedrock caches prompts of this model with Converse `cachePoint` blocks in the system
 * prompt and the tool specs: Anthropic Claude models (ids or inference profiles naming
 * `anthropic.claude`). Amazon Nova caches too but not tool specs, so it is left to the setting.
 */
export function cachesPrompts(modelId: string): boolean {
  return /anthropic\.claude/.test(modelId);
}

function toBedrockToolChoice(choice: ToolChoice): BedrockToolChoice {
  if ('tool' in choice) return { tool: { name: choice.tool.name } };
  if ('any' in choice) return { any: {} };
  return { auto: {} };
}

/** Converts Converse content blocks to ours; block kinds our port does not model (reasoning, citations…) are dropped. */
export function fromBedrockContent(content: readonly BedrockContentBlock[] | undefined): ContentBlock[] {
  const blocks: ContentBlock[] = [];
  for (const block of content ?? []) {
    if (block.text !== undefined) blocks.push({ text: block.text });
    else if (block.toolUse) {
      blocks.push({
        toolUse: {
          toolUseId: block.toolUse.toolUseId ?? '',
          name: block.toolUse.name ?? '',
          input: block.toolUse.input ?? {},
        },
      });
    }
  }
  return blocks;
}

/**
 * Maps a Converse stop reason onto our narrower set: a full context window reads as `max_tokens`,
 * and malformed output or tool use (or a missing reason) reads as `end_turn`, so the caller's
 * output validation decides what to do with it.
 */
export function fromBedrockStopReason(reason: BedrockStopReason | string | undefined): StopReason {
  switch (reason) {
    case 'end_turn':
    case 'tool_use':
    case 'max_tokens':
    case 'stop_sequence':
    case 'guardrail_intervened':
    case 'content_filtered':
      return reason;
    case 'model_context_window_exceeded':
      return 'max_tokens';
    default:
      return 'end_turn';
  }
}

/**
 * Converts Converse usage, filling missing counts with zero and a missing total with the sum; the
 * prompt cache's reads and writes are kept when Bedrock reports them.
 */
export function fromBedrockUsage(usage: BedrockTokenUsage | undefined): TokenUsage {
  const inputTokens = usage?.inputTokens ?? 0;
  const outputTokens = usage?.outputTokens ?? 0;
  const cacheReadInputTokens = usage?.cacheReadInputTokens;
  const cacheWriteInputTokens = usage?.cacheWriteInputTokens;
  return {
    inputTokens,
    outputTokens,
    totalTokens:
      usage?.totalTokens ??
      inputTokens + outputTokens + (cacheReadInputTokens ?? 0) + (cacheWriteInputTokens ?? 0),
    ...(cacheReadInputTokens === undefined ? {} : { cacheReadInputTokens }),
    ...(cacheWriteInputTokens === undefined ? {} : { cacheWriteInputTokens }),
  };
}

/** Reads a Converse role as ours: only `user` stays `user`; a model's answer is the `assistant` turn. */
export function fromBedrockRole(role: string | undefined): Message['role'] {
  return role === 'user' ? 'user' : 'assistant';
}

/** Converts a Converse response to our result. */
export function fromConverseResponse(response: ConverseResponse): ConverseResult {
  const message = response.output?.message;
  const latencyMs = response.metrics?.latencyMs;
  return {
    output: {
      message: { role: fromBedrockRole(message?.role), content: fromBedrockContent(message?.content) },
    },
    stopReason: fromBedrockStopReason(response.stopReason),
    usage: fromBedrockUsage(response.usage),
    ...(latencyMs === undefined ? {} : { metrics: { latencyMs } }),
  };
}
