import { AgentOutputError } from '../../../domain/errors.ts';
import type { ToolSpec } from '../../../action-groups/action-group.ts';
import type {
  ContentBlock,
  ConverseParams,
  ConverseResult,
  Message,
  StopReason,
  TokenUsage,
  ToolChoice,
} from '../model.ts';
import type {
  ChatContentPart,
  ChatFinishReason,
  ChatMessage,
  ChatTool,
  ChatToolCall,
  ChatToolChoice,
  ChatUsage,
} from './openai-wire.ts';

/** The text that stands in for a turn's image blocks when they are left out and nothing else is left. */
export const IMAGE_LEFT_OUT_TEXT = '[An image was attached here; this model does not read images.]';

/**
 * What starts the content of a `tool` message that carries a failed tool result: the wire has no
 * status, so the failure is said in the text.
 */
export const TOOL_ERROR_PREFIX = 'Error: ';

const MEDIA_TYPES: Record<'jpeg' | 'png' | 'webp', string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
};

/** An image block as a `data:` URL. */
export function imageDataUrl(image: Extract<ContentBlock, { image: unknown }>['image']): string {
  return `data:${MEDIA_TYPES[image.format]};base64,${Buffer.from(image.source.bytes).toString('base64')}`;
}

/** The system prompt blocks as one system message (many chat templates take only one), or none. */
function toSystemMessages(system: ConverseParams['system']): ChatMessage[] {
  const text = system
    .map((block) => block.text)
    .filter((part) => part.trim() !== '')
    .join('\n\n');
  return text === '' ? [] : [{ role: 'system', content: text }];
}

/** The content of a tool result as the text of a `tool` message: JSON documents serialised, texts as they are. */
function toolResultText(result: Extract<ContentBlock, { toolResult: unknown }>['toolResult']): string {
  const text = result.content
    .map((item) => ('json' in item ? JSON.stringify(item.json) : item.text))
    .join('\n');
  return result.status === 'error' ? `${TOOL_ERROR_PREFIX}${text}` : text;
}

/**
 * A user turn: its tool results as `tool` messages first (they must follow the assistant's
 * `tool_calls`), then its text and images as one user message. Text alone goes as a string, which
 * every server accepts; images make it a list of parts. Without image support, image blocks are
 * left out, and a turn that held only images gets {@link IMAGE_LEFT_OUT_TEXT}.
 */
function toUserMessages(message: Message, supportsImages: boolean): ChatMessage[] {
  const messages: ChatMessage[] = [];
  const parts: ChatContentPart[] = [];
  let leftOut = false;
  for (const block of message.content) {
    if ('toolResult' in block) {
      messages.push({
        role: 'tool',
        tool_call_id: block.toolResult.toolUseId,
        content: toolResultText(block.toolResult),
      });
    } else if ('text' in block) {
      parts.push({ type: 'text', text: block.text });
    } else if ('image' in block) {
      if (supportsImages) parts.push({ type: 'image_url', image_url: { url: imageDataUrl(block.image) } });
      else leftOut = true;
    }
  }
  if (parts.length === 0 && leftOut && messages.length === 0) {
    parts.push({ type: 'text', text: IMAGE_LEFT_OUT_TEXT });
  }
  if (parts.length === 0) return messages;
  const textOnly = parts.every((part) => part.type === 'text');
  const content = textOnly ? parts.map((part) => (part.type === 'text' ? part.text : '')).join('\n') : parts;
  return [...messages, { role: 'user', content }];
}

/** An assistant turn: its text as the content (or null), its tool uses as `tool_calls`. */
function toAssistantMessage(message: Message): ChatMessage {
  const text = message.content.flatMap((block) => ('text' in block ? [block.text] : [])).join('\n');
  const toolCalls: ChatToolCall[] = message.content.flatMap((block) =>
    'toolUse' in block
      ? [
          {
            id: block.toolUse.toolUseId,
            type: 'function' as const,
            function: { name: block.toolUse.name, arguments: JSON.stringify(block.toolUse.input ?? {}) },
          },
        ]
      : [],
  );
  return {
    role: 'assistant',
    content: text === '' ? null : text,
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
  };
}

/** Converts the system prompt and the conversation to chat completions messages. */
export function toChatMessages(
  system: ConverseParams['system'],
  messages: readonly Message[],
  supportsImages: boolean,
): ChatMessage[] {
  return [
    ...toSystemMessages(system),
    ...messages.flatMap((message) =>
      message.role === 'assistant' ? [toAssistantMessage(message)] : toUserMessages(message, supportsImages),
    ),
  ];
}

/** Converts tool specs to chat completions `tools`: functions with JSON Schema parameters. */
export function toChatTools(tools: readonly ToolSpec[]): ChatTool[] {
  return tools.map((tool) => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.inputSchema.json },
  }));
}

/** Converts the tool choice: `auto` → `auto`, `any` → `required`, one tool → that function. */
export function toChatToolChoice(choice: ToolChoice): ChatToolChoice {
  if ('tool' in choice) return { type: 'function', function: { name: choice.tool.name } };
  if ('any' in choice) return 'required';
  return 'auto';
}

/**
 * Parses the JSON string arguments of a tool call into the tool use's input: a JSON object (empty
 * arguments read as `{}`). Anything else is an {@link AgentOutputError} naming the tool, the call and
 * the model, with the parse error as `cause`.
 */
export function parseToolArguments(toolCall: ChatToolCall, modelName: string): Record<string, unknown> {
  const raw = toolCall.function.arguments.trim();
  if (raw === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new AgentOutputError(
      `Model ${modelName} called ${toolCall.function.name} (${toolCall.id}) with arguments that are not JSON: ${abbreviate(raw)}`,
      { cause: error, details: { tool: toolCall.function.name, toolCallId: toolCall.id, arguments: raw } },
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AgentOutputError(
      `Model ${modelName} called ${toolCall.function.name} (${toolCall.id}) with arguments that are not a JSON object: ${abbreviate(raw)}`,
      { details: { tool: toolCall.function.name, toolCallId: toolCall.id, arguments: raw } },
    );
  }
  return parsed as Record<string, unknown>;
}

function abbreviate(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/**
 * Maps a finish reason onto ours. An answer with tool calls is `tool_use` whatever the reason says
 * (vLLM and Ollama answer `stop` to a required or named tool), unless it was cut off (`length`).
 */
export function fromFinishReason(
  reason: ChatFinishReason | string | null | undefined,
  hasToolCalls: boolean,
): StopReason {
  if (reason === 'length') return 'max_tokens';
  if (reason === 'content_filter') return 'content_filtered';
  return hasToolCalls ? 'tool_use' : 'end_turn';
}

/** Converts usage: missing counts read as zero, and the total is their sum. */
export function fromChatUsage(usage: ChatUsage | null | undefined): TokenUsage {
  const inputTokens = Math.max(0, Math.round(usage?.prompt_tokens ?? 0));
  const outputTokens = Math.max(0, Math.round(usage?.completion_tokens ?? 0));
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
}

/** The parts of an answer the adapter reads, streamed or not. */
export interface ChatAnswer {
  content: string | null | undefined;
  toolCalls: readonly ChatToolCall[];
  finishReason: ChatFinishReason | string | null | undefined;
  usage: ChatUsage | null | undefined;
}

/**
 * Converts an answer to our result: its text as a text block, its tool calls as toolUse blocks.
 * A tool call cut off by `length` is dropped (its arguments are incomplete), and the stop reason
 * then says `max_tokens`.
 */
export function fromChatAnswer(answer: ChatAnswer, modelName: string, latencyMs: number): ConverseResult {
  const truncated = answer.finishReason === 'length';
  const content: ContentBlock[] = [];
  if (answer.content) content.push({ text: answer.content });
  if (!truncated) {
    for (const toolCall of answer.toolCalls) {
      content.push({
        toolUse: {
          toolUseId: toolCall.id,
          name: toolCall.function.name,
          input: parseToolArguments(toolCall, modelName),
        },
      });
    }
  }
  return {
    output: { message: { role: 'assistant', content } },
    stopReason: fromFinishReason(answer.finishReason, !truncated && answer.toolCalls.length > 0),
    usage: fromChatUsage(answer.usage),
    metrics: { latencyMs },
  };
}
