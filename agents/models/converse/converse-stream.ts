import type { ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { UpstreamError } from '../../../domain/errors.ts';
import type { ContentBlock, ConverseResult, Message, StopReason, TokenUsage } from '../model.ts';
import { fromBedrockRole, fromBedrockStopReason, fromBedrockUsage } from './converse-mapping.ts';

type PartialBlock =
  { kind: 'text'; text: string } | { kind: 'toolUse'; toolUseId: string; name: string; input: string };

/** Names of the exception members a ConverseStream may carry in place of an event. */
const STREAM_EXCEPTIONS = [
  'internalServerException',
  'modelStreamErrorException',
  'serviceUnavailableException',
  'throttlingException',
  'validationException',
] as const;

/**
 * An exception that arrived inside a ConverseStream. Its `name` is the Bedrock error name
 * (e.g. `ThrottlingException`), so it is classified like an error of the request itself.
 */
export class ConverseStreamException extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/**
 * Assembles ConverseStream events into one Converse-shaped result:
 * text deltas are joined, tool-use input JSON deltas are joined and parsed,
 * and the stop reason, usage and latency come from `messageStop` and `metadata`.
 */
export async function assembleConverseStream(
  stream: AsyncIterable<ConverseStreamOutput>,
  modelId: string,
): Promise<ConverseResult> {
  let role: Message['role'] = 'assistant';
  const blocks = new Map<number, PartialBlock>();
  let stopReason: StopReason = 'end_turn';
  let usage: TokenUsage | undefined;
  let latencyMs: number | undefined;

  for await (const event of stream) {
    throwIfException(event);
    if (event.messageStart) {
      role = fromBedrockRole(event.messageStart.role);
    } else if (event.contentBlockStart) {
      const index = event.contentBlockStart.contentBlockIndex ?? blocks.size;
      const toolUse = event.contentBlockStart.start?.toolUse;
      if (toolUse) {
        blocks.set(index, {
          kind: 'toolUse',
          toolUseId: toolUse.toolUseId ?? '',
          name: toolUse.name ?? '',
          input: '',
        });
      }
    } else if (event.contentBlockDelta) {
      const index = event.contentBlockDelta.contentBlockIndex ?? 0;
      const delta = event.contentBlockDelta.delta;
      const current = blocks.get(index);
      if (delta?.text !== undefined) {
        if (current?.kind === 'text') current.text += delta.text;
        else if (!current) blocks.set(index, { kind: 'text', text: delta.text });
      } else if (delta?.toolUse && current?.kind === 'toolUse') {
        current.input += delta.toolUse.input ?? '';
      }
    } else if (event.messageStop) {
      stopReason = fromBedrockStopReason(event.messageStop.stopReason);
    } else if (event.metadata) {
      usage = fromBedrockUsage(event.metadata.usage);
      latencyMs = event.metadata.metrics?.latencyMs;
    }
  }

  const content: ContentBlock[] = [...blocks.entries()]
    .sort(([left], [right]) => left - right)
    .map(([, block]) => toContentBlock(block, modelId));
  return {
    output: { message: { role, content } },
    stopReason,
    usage: usage ?? fromBedrockUsage(undefined),
    ...(latencyMs === undefined ? {} : { metrics: { latencyMs } }),
  };
}

function throwIfException(event: ConverseStreamOutput): void {
  for (const key of STREAM_EXCEPTIONS) {
    const exception = event[key];
    if (exception) {
      const name = key.charAt(0).toUpperCase() + key.slice(1);
      throw new ConverseStreamException(name, exception.message ?? name);
    }
  }
}

function toContentBlock(block: PartialBlock, modelId: string): ContentBlock {
  if (block.kind === 'text') return { text: block.text };
  return { toolUse: { toolUseId: block.toolUseId, name: block.name, input: parseToolInput(block, modelId) } };
}

function parseToolInput(block: Extract<PartialBlock, { kind: 'toolUse' }>, modelId: string): unknown {
  if (block.input.trim() === '') return {};
  try {
    return JSON.parse(block.input) as unknown;
  } catch (error) {
    throw new UpstreamError(
      `Bedrock model ${modelId} streamed tool input for ${block.name} that is not valid JSON`,
      { cause: error, isRetryable: false, details: { toolUseId: block.toolUseId, input: block.input } },
    );
  }
}
