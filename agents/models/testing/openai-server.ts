import { once } from 'node:events';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { z } from 'zod';
import {
  CancelledError,
  ModelThrottledError,
  TimeoutError,
  ValidationError,
} from '../../../domain/errors.ts';
import type {
  ContentBlock,
  ConverseParams,
  ConverseResult,
  Message,
  Model,
  StopReason,
  ToolChoice,
} from '../model.ts';
import { TOOL_ERROR_PREFIX } from '../openai/openai-mapping.ts';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatErrorBody,
  ChatFinishReason,
  ChatToolCall,
} from '../openai/openai-wire.ts';

/** One request the server received. */
export interface RecordedChatRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The JSON body as it arrived, or undefined when it was not JSON. */
  body: unknown;
  /** What the hosted model was asked; absent when the request was refused or scripted. */
  params?: Omit<ConverseParams, 'signal'>;
  /** The HTTP status of the answer; absent while the call runs or when the client went away. */
  status?: number;
}

/** A scripted answer, given instead of the hosted model's: a status, headers and a body (JSON unless a string). */
export interface ScriptedChatReply {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

/** Options of {@link startOpenAiServer}. */
export interface OpenAiServerOptions {
  /** The model that answers every request. */
  model: Model;
  /** The only model name the server knows; others get a 404 `model_not_found`. Defaults to the hosted model's id. */
  modelName?: string;
  /** When set, requests must carry `Authorization: Bearer <apiKey>`; others get a 401. */
  apiKey?: string;
  /** How many characters of content, or of tool call arguments, each streamed chunk carries. Defaults to 16. */
  streamChunkLength?: number;
}

/**
 * A local HTTP server that speaks OpenAI chat completions (`POST /v1/chat/completions`, answered
 * as JSON or, with `stream: true`, as server-sent `chat.completion.chunk` events ending in
 * `[DONE]`) and answers by hosting a {@link Model}: it translates the wire request (a system
 * message, user messages with text and `image_url` data URLs, assistant `tool_calls`, `tool`
 * messages, `tools`, `tool_choice`, `metadata`) into {@link ConverseParams}, and the hosted model's
 * result into the answer. Like the servers it stands for, it refuses with a 400 an unknown field, a
 * conversation that does not start with system or user, `tool` messages that do not answer the
 * previous assistant's `tool_calls`, unanswered tool calls, a `tool_choice` without `tools` or
 * naming an unoffered function, and images when the hosted model does not read them. Hosted model
 * errors become 429 (with `Retry-After`), 504, 400 or 500. Scripted replies stand in for the hosted
 * model, one per request, to test error handling.
 */
export interface OpenAiServer {
  /** The base URL to point a client at (`…/v1`). */
  readonly baseUrl: string;
  /** The model name requests must give. */
  readonly modelName: string;
  /** Every request received, in order. */
  readonly requests: readonly RecordedChatRequest[];
  /** What the hosted model was asked, in order (the `params` of the requests that reached it). */
  receivedCalls(): Array<Omit<ConverseParams, 'signal'>>;
  /** Queues replies that answer the next requests, one each, instead of the hosted model. */
  script(...replies: ScriptedChatReply[]): void;
  /** Forgets the requests received and the scripted replies left. */
  reset(): void;
  /** Drops open connections and stops listening. */
  close(): Promise<void>;
}

class ChatErrorReply extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly headers: Record<string, string> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ChatErrorReply';
  }
}

function invalid(message: string): ChatErrorReply {
  return new ChatErrorReply(400, 'invalid_request_error', message);
}

const FunctionName = z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'must match ^[a-zA-Z0-9_-]{1,64}$');

const WireToolCall = z.strictObject({
  id: z.string().min(1),
  type: z.literal('function'),
  function: z.strictObject({ name: FunctionName, arguments: z.string() }),
});

const WirePart = z.union([
  z.strictObject({ type: z.literal('text'), text: z.string() }),
  z.strictObject({
    type: z.literal('image_url'),
    image_url: z.strictObject({ url: z.string(), detail: z.enum(['auto', 'low', 'high']).optional() }),
  }),
]);

const WireMessage = z.discriminatedUnion('role', [
  z.strictObject({ role: z.literal('system'), content: z.string() }),
  z.strictObject({ role: z.literal('user'), content: z.union([z.string(), z.array(WirePart).min(1)]) }),
  z.strictObject({
    role: z.literal('assistant'),
    content: z.string().nullable().optional(),
    tool_calls: z.array(WireToolCall).min(1).optional(),
  }),
  z.strictObject({ role: z.literal('tool'), tool_call_id: z.string().min(1), content: z.string() }),
]);

const WireToolChoice = z.union([
  z.enum(['auto', 'required', 'none']),
  z.strictObject({ type: z.literal('function'), function: z.strictObject({ name: FunctionName }) }),
]);

/** The request fields the server understands; any other field is refused, as OpenAI does. */
const WireRequest = z.strictObject({
  model: z.string().min(1),
  messages: z.array(WireMessage).min(1),
  tools: z
    .array(
      z.strictObject({
        type: z.literal('function'),
        function: z.strictObject({
          name: FunctionName,
          description: z.string().optional(),
          parameters: z.record(z.string(), z.unknown()).optional(),
        }),
      }),
    )
    .optional(),
  tool_choice: WireToolChoice.optional(),
  max_tokens: z.number().int().min(1).optional(),
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().min(0).max(1).optional(),
  metadata: z.record(z.string(), z.string().max(512)).optional(),
  stream: z.boolean().optional(),
  stream_options: z.strictObject({ include_usage: z.boolean() }).optional(),
});

type WireRequest = z.infer<typeof WireRequest>;
type WireMessage = z.infer<typeof WireMessage>;

const DATA_URL = /^data:image\/(jpeg|jpg|png|webp);base64,([A-Za-z0-9+/=]+)$/;

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
}

function toImageBlock(url: string, at: string): ContentBlock {
  const match = DATA_URL.exec(url);
  if (!match) throw invalid(`${at}: only base64 data URLs of jpeg, png or webp images are supported`);
  const format = match[1] === 'jpg' ? 'jpeg' : (match[1] as 'jpeg' | 'png' | 'webp');
  return { image: { format, source: { bytes: new Uint8Array(Buffer.from(match[2] ?? '', 'base64')) } } };
}

/**
 * A `tool` message as a tool result: its content as a JSON document when it parses as one, else as
 * text; failed when it starts with {@link TOOL_ERROR_PREFIX}, successful otherwise.
 */
function toToolResult(message: Extract<WireMessage, { role: 'tool' }>): ContentBlock {
  const failed = message.content.startsWith(TOOL_ERROR_PREFIX);
  const text = failed ? message.content.slice(TOOL_ERROR_PREFIX.length) : message.content;
  let content: Array<{ json: unknown } | { text: string }>;
  try {
    content = [{ json: JSON.parse(text) as unknown }];
  } catch {
    content = [{ text }];
  }
  return {
    toolResult: { toolUseId: message.tool_call_id, content, status: failed ? 'error' : 'success' },
  };
}

function toToolChoice(choice: z.infer<typeof WireToolChoice>): ToolChoice | undefined {
  if (choice === 'auto') return { auto: {} };
  if (choice === 'required') return { any: {} };
  if (choice === 'none') return undefined;
  return { tool: { name: choice.function.name } };
}

/**
 * Translates a wire request into the hosted model's parameters, checking the conversation as the
 * servers do: `tool` messages answer the previous assistant's calls, and all of them.
 */
function toConverseParams(request: WireRequest, supportsImages: boolean): Omit<ConverseParams, 'signal'> {
  const system: Array<{ text: string }> = [];
  const messages: Message[] = [];
  let pending = new Set<string>();
  const toolNames = new Set((request.tools ?? []).map((tool) => tool.function.name));
  const userTurn = (): Message => {
    const last = messages.at(-1);
    if (last?.role === 'user') return last;
    const turn: Message = { role: 'user', content: [] };
    messages.push(turn);
    return turn;
  };
  request.messages.forEach((message, index) => {
    const at = `messages.${index}`;
    if (message.role !== 'tool' && pending.size > 0) {
      throw invalid(
        `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...pending].join(', ')}`,
      );
    }
    if (message.role === 'system') {
      if (messages.length > 0) throw invalid(`${at}: a system message must come first`);
      system.push({ text: message.content });
      return;
    }
    if (message.role === 'tool') {
      if (!pending.has(message.tool_call_id)) {
        throw invalid(
          `${at}: messages with role 'tool' must be a response to a preceding message with 'tool_calls' (${message.tool_call_id})`,
        );
      }
      pending.delete(message.tool_call_id);
      userTurn().content.push(toToolResult(message));
      return;
    }
    if (message.role === 'user') {
      const turn = userTurn();
      if (typeof message.content === 'string') {
        turn.content.push({ text: message.content });
        return;
      }
      message.content.forEach((part, position) => {
        if (part.type === 'text') {
          turn.content.push({ text: part.text });
          return;
        }
        if (!supportsImages) throw invalid(`${at}.content.${position}: this model does not take images`);
        turn.content.push(toImageBlock(part.image_url.url, `${at}.content.${position}`));
      });
      return;
    }
    if (messages.length === 0) throw invalid(`${at}: the conversation must start with a user message`);
    const content: ContentBlock[] = [];
    if (message.content) content.push({ text: message.content });
    for (const call of message.tool_calls ?? []) {
      if (!toolNames.has(call.function.name)) {
        throw invalid(`${at}: the tool call ${call.id} names ${call.function.name}, which is not in tools`);
      }
      let input: unknown;
      try {
        input = JSON.parse(call.function.arguments);
      } catch (error) {
        throw new ChatErrorReply(
          400,
          'invalid_request_error',
          `${at}: tool call arguments are not JSON`,
          {},
          {
            cause: error,
          },
        );
      }
      content.push({ toolUse: { toolUseId: call.id, name: call.function.name, input } });
    }
    if (content.length === 0) throw invalid(`${at}: an assistant message needs content or tool_calls`);
    messages.push({ role: 'assistant', content });
    pending = new Set((message.tool_calls ?? []).map((call) => call.id));
  });
  if (pending.size > 0) throw invalid(`Tool calls ${[...pending].join(', ')} were not answered`);
  if (messages[0]?.role !== 'user') throw invalid('The conversation must have a user message');
  if (request.tool_choice !== undefined && !request.tools) {
    throw invalid("'tool_choice' is only allowed when 'tools' are specified");
  }
  const choice = request.tool_choice;
  if (choice && typeof choice === 'object' && !toolNames.has(choice.function.name)) {
    throw invalid(`tool_choice names ${choice.function.name}, which is not in tools`);
  }
  const toolChoice = choice === undefined ? undefined : toToolChoice(choice);
  return {
    system,
    messages,
    ...(request.tools && choice !== 'none'
      ? {
          tools: request.tools.map((tool) => ({
            name: tool.function.name,
            description: tool.function.description ?? '',
            inputSchema: { json: tool.function.parameters ?? {} },
          })),
        }
      : {}),
    ...(toolChoice ? { toolChoice } : {}),
    ...(request.metadata ? { requestMetadata: request.metadata } : {}),
  };
}

function finishReason(stopReason: StopReason): ChatFinishReason {
  if (stopReason === 'tool_use') return 'tool_calls';
  if (stopReason === 'max_tokens') return 'length';
  if (stopReason === 'content_filtered' || stopReason === 'guardrail_intervened') return 'content_filter';
  return 'stop';
}

/** The answer of a result: its text joined, its tool uses as tool calls with JSON string arguments. */
function answerOf(result: ConverseResult): { content: string | null; toolCalls: ChatToolCall[] } {
  const texts: string[] = [];
  const toolCalls: ChatToolCall[] = [];
  result.output.message.content.forEach((block, index) => {
    if ('text' in block) texts.push(block.text);
    else if ('toolUse' in block) {
      toolCalls.push({
        id: block.toolUse.toolUseId,
        type: 'function',
        function: { name: block.toolUse.name, arguments: JSON.stringify(block.toolUse.input ?? {}) },
      });
    } else {
      throw new ChatErrorReply(
        500,
        'server_error',
        `The hosted model answered with a ${Object.keys(block).join(', ')} block at content.${index}`,
      );
    }
  });
  return { content: texts.length > 0 ? texts.join('\n') : null, toolCalls };
}

function usageOf(result: ConverseResult): NonNullable<ChatCompletion['usage']> {
  return {
    prompt_tokens: result.usage.inputTokens,
    completion_tokens: result.usage.outputTokens,
    total_tokens: result.usage.totalTokens,
  };
}

function pieces(text: string, length: number): string[] {
  const characters = Array.from(text);
  const result: string[] = [];
  for (let start = 0; start < characters.length; start += length) {
    result.push(characters.slice(start, start + length).join(''));
  }
  return result;
}

/**
 * The streamed chunks of a result, as OpenAI streams them: the role, the content in pieces, each
 * tool call's id and name with empty arguments and then its arguments in pieces, the finish reason,
 * and, when asked for, a last chunk with no choices and the usage.
 */
export function toChatCompletionChunks(
  result: ConverseResult,
  base: Pick<ChatCompletionChunk, 'id' | 'created' | 'model'>,
  { chunkLength = 16, includeUsage = false }: { chunkLength?: number; includeUsage?: boolean } = {},
): ChatCompletionChunk[] {
  const { content, toolCalls } = answerOf(result);
  const chunk = (
    delta: ChatCompletionChunk['choices'][number]['delta'],
    finish: ChatFinishReason | null = null,
  ) => ({
    ...base,
    object: 'chat.completion.chunk' as const,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const chunks: ChatCompletionChunk[] = [chunk({ role: 'assistant', content: '' })];
  for (const text of pieces(content ?? '', chunkLength)) chunks.push(chunk({ content: text }));
  toolCalls.forEach((call, index) => {
    chunks.push(
      chunk({
        tool_calls: [
          { index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } },
        ],
      }),
    );
    for (const part of pieces(call.function.arguments, chunkLength)) {
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: part } }] }));
    }
  });
  chunks.push(chunk({}, finishReason(result.stopReason)));
  if (includeUsage)
    chunks.push({ ...base, object: 'chat.completion.chunk', choices: [], usage: usageOf(result) });
  return chunks;
}

function hostedModelFailure(error: unknown): ChatErrorReply {
  if (error instanceof ChatErrorReply) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ModelThrottledError) {
    return new ChatErrorReply(429, 'rate_limit_exceeded', message, { 'retry-after': '1' }, { cause: error });
  }
  if (error instanceof TimeoutError) return new ChatErrorReply(504, 'timeout', message, {}, { cause: error });
  if (error instanceof ValidationError) return invalid(message);
  return new ChatErrorReply(500, 'server_error', `The hosted model failed: ${message}`, {}, { cause: error });
}

/** Starts an {@link OpenAiServer} on a free loopback port. */
export async function startOpenAiServer(options: OpenAiServerOptions): Promise<OpenAiServer> {
  const { model } = options;
  const modelName = options.modelName ?? model.id;
  const chunkLength = Math.max(1, options.streamChunkLength ?? 16);
  const requests: RecordedChatRequest[] = [];
  const scripted: ScriptedChatReply[] = [];
  const sockets = new Set<Socket>();
  let requestCount = 0;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    requestCount += 1;
    const completionId = `chatcmpl-local${requestCount.toString().padStart(6, '0')}`;
    const hosted = new AbortController();
    let answered = false;
    response.on('close', () => {
      if (!answered) hosted.abort(new CancelledError('the client closed the connection'));
    });
    const parts: Buffer[] = [];
    try {
      for await (const part of request) parts.push(part as Buffer);
    } catch {
      return;
    }
    const path = (request.url ?? '').split('?')[0] ?? '';
    const recorded: RecordedChatRequest = {
      method: request.method ?? '',
      path,
      headers: request.headers,
      body: undefined,
    };
    requests.push(recorded);
    const reply = (status: number, headers: Record<string, string>, body: string): void => {
      answered = true;
      recorded.status = status;
      response.writeHead(status, { 'x-request-id': completionId, ...headers });
      response.end(body);
    };
    const text = Buffer.concat(parts).toString('utf8');
    try {
      recorded.body = JSON.parse(text) as unknown;
    } catch {
      recorded.body = undefined;
    }
    try {
      const next = scripted.shift();
      if (next) {
        const body = typeof next.body === 'string' ? next.body : JSON.stringify(next.body);
        const type = typeof next.body === 'string' ? 'text/plain' : 'application/json';
        reply(next.status, { 'content-type': type, ...next.headers }, body);
        return;
      }
      if (request.method !== 'POST' || path !== '/v1/chat/completions') {
        throw new ChatErrorReply(
          404,
          'invalid_request_error',
          `Unknown request URL: ${request.method} ${path}`,
        );
      }
      if (options.apiKey && request.headers.authorization !== `Bearer ${options.apiKey}`) {
        throw new ChatErrorReply(401, 'invalid_api_key', 'Incorrect API key provided.');
      }
      if (recorded.body === undefined) throw invalid('We could not parse the JSON body of your request.');
      const parsed = WireRequest.safeParse(recorded.body);
      if (!parsed.success) throw invalid(describeIssues(parsed.error));
      if (parsed.data.model !== modelName) {
        throw new ChatErrorReply(
          404,
          'model_not_found',
          `The model \`${parsed.data.model}\` does not exist.`,
        );
      }
      const params = toConverseParams(parsed.data, model.supportsImages);
      recorded.params = params;
      let result: ConverseResult;
      try {
        result = await model.converse({ ...params, signal: hosted.signal });
      } catch (error) {
        if (hosted.signal.aborted) return;
        throw hostedModelFailure(error);
      }
      if (hosted.signal.aborted) return;
      const base = { id: completionId, created: 1_764_806_400 + requestCount, model: modelName };
      if (!parsed.data.stream) {
        const { content, toolCalls } = answerOf(result);
        const completion: ChatCompletion = {
          ...base,
          object: 'chat.completion',
          choices: [
            {
              index: 0,
              message: {
                role: 'assistant',
                content,
                ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
              },
              finish_reason: finishReason(result.stopReason),
            },
          ],
          usage: usageOf(result),
        };
        reply(200, { 'content-type': 'application/json' }, JSON.stringify(completion));
        return;
      }
      const chunks = toChatCompletionChunks(result, base, {
        chunkLength,
        includeUsage: parsed.data.stream_options?.include_usage === true,
      });
      const events = chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`);
      reply(
        200,
        { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
        `${events.join('')}data: [DONE]\n\n`,
      );
    } catch (error) {
      const failure =
        error instanceof ChatErrorReply
          ? error
          : new ChatErrorReply(500, 'server_error', String(error), {}, { cause: error });
      const body: ChatErrorBody = {
        error: { message: failure.message, type: failure.type, code: null, param: null },
      };
      reply(failure.status, { 'content-type': 'application/json', ...failure.headers }, JSON.stringify(body));
    }
  }

  const server = http.createServer((request, response) => {
    void handle(request, response);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;

  return {
    baseUrl,
    modelName,
    requests,
    receivedCalls: () => requests.flatMap((request) => (request.params ? [request.params] : [])),
    script(...replies) {
      scripted.push(...replies);
    },
    reset() {
      requests.length = 0;
      scripted.length = 0;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
