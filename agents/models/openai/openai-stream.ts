import { UpstreamError } from '../../../domain/errors.ts';
import type { ChatAnswer } from './openai-mapping.ts';
import type { ChatCompletionChunk, ChatToolCall } from './openai-wire.ts';

/**
 * The `data` fields of a server-sent events stream, one per event, until the stream ends. Comment
 * lines and other fields are skipped; an event's `data` lines are joined with newlines.
 */
export async function* serverSentData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      const lines = buffer.split(/\r\n|\r|\n/);
      buffer = done ? '' : (lines.pop() ?? '');
      for (const line of lines) {
        if (line === '') {
          if (data.length > 0) yield data.join('\n');
          data = [];
        } else if (line.startsWith('data:')) {
          data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
        }
      }
      if (done) break;
    }
    if (data.length > 0) yield data.join('\n');
  } finally {
    reader.releaseLock();
  }
}

/**
 * Assembles a streamed chat completion (`chat.completion.chunk` events, then `[DONE]`) into an
 * answer: the content deltas concatenated, each tool call's id and name from its first piece and
 * its arguments from all of them, the finish reason, and the usage of the last chunk (sent when
 * `stream_options.include_usage` is honoured). An `error` event, or a stream that ends before a
 * finish reason, is a retryable {@link UpstreamError}.
 */
export async function assembleChatStream(
  events: AsyncIterable<string>,
  modelName: string,
): Promise<ChatAnswer> {
  let content = '';
  let finishReason: string | null = null;
  let usage: ChatCompletionChunk['usage'];
  const toolCalls = new Map<number, ChatToolCall>();
  for await (const data of events) {
    if (data.trim() === '[DONE]') break;
    let chunk: Partial<ChatCompletionChunk> & { error?: { message?: string } };
    try {
      chunk = JSON.parse(data) as typeof chunk;
    } catch (error) {
      throw new UpstreamError(`Model ${modelName} streamed an event that is not JSON`, {
        cause: error,
        isRetryable: true,
      });
    }
    if (chunk.error) {
      throw new UpstreamError(
        `Model ${modelName} failed while streaming: ${chunk.error.message ?? 'unknown error'}`,
        { isRetryable: true, details: chunk.error },
      );
    }
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices?.find((candidate) => candidate.index === 0) ?? chunk.choices?.[0];
    if (!choice) continue;
    if (choice.delta?.content) content += choice.delta.content;
    for (const piece of choice.delta?.tool_calls ?? []) {
      const call = toolCalls.get(piece.index) ?? {
        id: '',
        type: 'function' as const,
        function: { name: '', arguments: '' },
      };
      if (piece.id) call.id = piece.id;
      if (piece.function?.name && call.function.name === '') call.function.name = piece.function.name;
      if (piece.function?.arguments) call.function.arguments += piece.function.arguments;
      toolCalls.set(piece.index, call);
    }
    if (choice.finish_reason) finishReason = choice.finish_reason;
  }
  if (finishReason === null) {
    throw new UpstreamError(`Model ${modelName} ended its stream before a finish reason`, {
      isRetryable: true,
    });
  }
  return {
    content,
    toolCalls: [...toolCalls.entries()].sort(([left], [right]) => left - right).map(([, call]) => call),
    finishReason,
    usage,
  };
}
