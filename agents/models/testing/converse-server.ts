import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import http2, {
  type Http2ServerRequest,
  type Http2ServerResponse,
  type Http2Session,
  type IncomingHttpHeaders,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import {
  BedrockRuntimeClient,
  type ContentBlock as BedrockContentBlock,
  type ContentBlockDeltaEvent,
  type ContentBlockStartEvent,
  type ContentBlockStopEvent,
  type ConverseResponse,
  type ConverseStreamMetadataEvent,
  type MessageStartEvent,
  type MessageStopEvent,
} from '@aws-sdk/client-bedrock-runtime';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { NodeHttp2Handler } from '@smithy/node-http-handler';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
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
  TokenUsage,
  ToolChoice,
} from '../model.ts';
import type { BedrockDocument } from '../converse/converse-mapping.ts';
import type { CallLatency } from './latency-model.ts';
import { MAXIMUM_CACHE_CHECKPOINTS, type PromptCache, type PromptSegment } from './prompt-cache.ts';
import {
  MESSAGE_OVERHEAD_TOKENS,
  TOOL_USE_SYSTEM_PROMPT_TOKENS,
  type TokenCounter,
} from './token-counter.ts';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/**
 * The real Bedrock Runtime client pointed at a local server that speaks the Converse wire
 * protocol: HTTP/2 as the SDK uses it, test credentials, and no retries, so a fault injected by
 * the server reaches the caller as it is.
 */
export function createLocalBedrockClient(endpoint: string): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: new NodeHttp2Handler(),
    maxAttempts: 1,
  });
}

/**
 * Encodes one AWS event-stream message as Bedrock streams it: an event of the given type with a
 * JSON payload, or, when the type ends in `Exception` (e.g. `throttlingException`), an exception.
 */
export function eventFrame(type: string, payload: unknown): Uint8Array {
  const exception = type.endsWith('Exception');
  return codec.encode({
    headers: {
      [exception ? ':exception-type' : ':event-type']: { type: 'string', value: type },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: exception ? 'exception' : 'event' },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

/** The events of a ConverseStream response, by event type, with their payloads as the SDK types them. */
export interface ConverseStreamEvents {
  messageStart: MessageStartEvent;
  contentBlockStart: ContentBlockStartEvent;
  contentBlockDelta: ContentBlockDeltaEvent;
  contentBlockStop: ContentBlockStopEvent;
  messageStop: MessageStopEvent;
  metadata: ConverseStreamMetadataEvent;
}

/** One ConverseStream event: its type and payload. */
export type ConverseStreamEvent = {
  [Type in keyof ConverseStreamEvents]: { type: Type; payload: ConverseStreamEvents[Type] };
}[keyof ConverseStreamEvents];

/** The Bedrock Runtime operation a request called. */
export type ConverseOperation = 'Converse' | 'ConverseStream';

/** One request the server received. */
export interface RecordedConverseRequest {
  operation: ConverseOperation;
  /** The model id of the path, decoded. */
  modelId: string;
  headers: IncomingHttpHeaders;
  /** The JSON body as it arrived on the wire. */
  body: unknown;
  /** What the hosted model was asked; absent when the request was rejected before reaching it. */
  params?: Omit<ConverseParams, 'signal'>;
  /** The HTTP status of the answer; absent while the call runs or when the client went away. */
  status?: number;
  /** The usage the answer reported; absent when the request was not answered. */
  usage?: TokenUsage;
  /** The modelled latency of the call, when the server models latency. */
  latency?: CallLatency;
  /** When the request arrived, in ms since the epoch (`performance.timeOrigin + performance.now()`). */
  receivedAt?: number;
  /** When the client says it sent the request ({@link SENT_AT_HEADER}), in ms since the epoch. */
  sentAt?: number;
  /** When the answer was sent in full, in ms since the epoch. */
  answeredAt?: number;
}

/**
 * Token accounting from the wire: the server counts the request's and the answer's tokens itself,
 * in the order the model reads them (tool specs with the tool-use system prompt, the system prompt,
 * then each message), instead of reporting the hosted model's own estimate.
 */
export interface ConverseServerAccounting {
  countTokens: TokenCounter;
  /** Accounts cache reads and writes at the request's `cachePoint` blocks; without it they are plain input. */
  promptCache?: PromptCache;
  /** The server's clock for the cache, in ms. `performance.now()` by default. */
  now?: () => number;
}

/** The modelled latency of one call, from its model id and usage. */
export type ConverseServerLatency = (call: { modelId: string; usage: TokenUsage }) => CallLatency;

/** Options of {@link startConverseServer}. */
export interface ConverseServerOptions {
  /** The model that answers every request. */
  model: Model;
  /** The only model id the server knows; other ids get a ValidationException. Defaults to the hosted model's id. */
  modelId?: string;
  /** More model ids the hosted model answers for (e.g. each agent's own model), besides `modelId`. */
  otherModelIds?: readonly string[];
  /** Counts tokens from the wire, with prompt caching; the hosted model's usage is reported without it. */
  accounting?: ConverseServerAccounting;
  /**
   * Delays each answer by a modelled latency: ConverseStream sends its first events at `firstTokenMs`
   * after the request and the rest at `totalMs`; Converse answers at `totalMs`. A hosted model slower
   * than that answers when it is done. Without it the server answers as soon as the model does.
   */
  latency?: ConverseServerLatency;
  /** How many characters of text, or of tool input JSON, each streamed delta carries. Defaults to 24. */
  streamChunkLength?: number;
  /**
   * Where the modelled latency starts: `received` (default) when the server has read the request;
   * `sent` at the {@link SENT_AT_HEADER} the client stamped, when it is earlier. With `sent`, the
   * time the request waited for this server's own event loop (busy counting tokens or running the
   * stand-in model) is part of the modelled latency, as a remote Bedrock's compute is part of its
   * own, instead of being added to the caller's waiting.
   */
  latencyFrom?: 'received' | 'sent';
}

/**
 * The request header in which a client in the same process (another thread) stamps when it sent the
 * request, in ms since the epoch (`performance.timeOrigin + performance.now()`).
 */
export const SENT_AT_HEADER = 'x-local-sent-at';

/**
 * A local HTTP/2 server that speaks Bedrock Runtime's Converse (`POST /model/{modelId}/converse`)
 * and ConverseStream (`POST /model/{modelId}/converse-stream`, AWS event-stream frames) and
 * answers by hosting a {@link Model}: it translates the wire request (system, messages with text,
 * base64 image, toolUse and toolResult blocks, toolConfig, requestMetadata) into
 * {@link ConverseParams}, and the hosted model's result into the Converse response or the
 * ConverseStream events. Like Bedrock, it refuses with a ValidationException a conversation that does
 * not start with the user or alternate, an empty message, a blank text, toolUse or toolResult blocks
 * without toolConfig, tool results that do not answer the previous turn's tool uses, and images when
 * the hosted model does not read them. Hosted model errors become ThrottlingException (429),
 * ModelTimeoutException (408), ValidationException (400) or ModelErrorException (424).
 */
export interface ConverseServer {
  /** The base URL to point a client at. */
  readonly endpoint: string;
  /** The model id requests must name. */
  readonly modelId: string;
  /** Every request received, in order. */
  readonly requests: readonly RecordedConverseRequest[];
  /** What the hosted model was asked, in order (the `params` of the requests that reached it). */
  receivedCalls(): Array<Omit<ConverseParams, 'signal'>>;
  /**
   * A real `BedrockRuntimeClient` pointed at this server over HTTP/2 (the SDK's default protocol for
   * Bedrock Runtime), with test credentials and the SDK's retries off. {@link close} destroys it.
   */
  createClient(): BedrockRuntimeClient;
  /** Forgets the requests received. */
  reset(): void;
  /** Destroys the clients it created, drops open connections and stops listening. */
  close(): Promise<void>;
}

/** A Bedrock error answer: its HTTP status, its `x-amzn-errortype` and its message. */
class BedrockErrorReply extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BedrockErrorReply';
  }
}

function validationFailure(message: string): BedrockErrorReply {
  return new BedrockErrorReply(400, 'ValidationException', message);
}

const ToolName = z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'must match [a-zA-Z0-9_-]{1,64}');
const ToolUseId = z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'must match [a-zA-Z0-9_-]{1,64}');
const JsonValue = z.unknown().refine((value) => value !== undefined, 'is required');
const JsonObject = z.record(z.string(), z.unknown());

const WireCachePoint = z.strictObject({
  cachePoint: z.strictObject({ type: z.literal('default'), ttl: z.enum(['5m', '1h']).optional() }),
});

const WireImage = z.strictObject({
  format: z.enum(['jpeg', 'png', 'webp']),
  source: z.strictObject({ bytes: z.base64() }),
});

const WireToolResultContent = z.union([
  z.strictObject({ json: JsonValue }),
  z.strictObject({ text: z.string() }),
]);

const WireContentBlock = z.union([
  z.strictObject({ text: z.string() }),
  WireCachePoint,
  z.strictObject({ image: WireImage }),
  z.strictObject({ toolUse: z.strictObject({ toolUseId: ToolUseId, name: ToolName, input: JsonObject }) }),
  z.strictObject({
    toolResult: z.strictObject({
      toolUseId: ToolUseId,
      content: z.array(WireToolResultContent),
      status: z.enum(['success', 'error']).optional(),
    }),
  }),
]);

const WireToolChoice = z.union([
  z.strictObject({ auto: z.strictObject({}) }),
  z.strictObject({ any: z.strictObject({}) }),
  z.strictObject({ tool: z.strictObject({ name: ToolName }) }),
]);

/** The parts of a Converse / ConverseStream request body the server understands (the port's parts). */
const WireRequest = z.object({
  system: z.array(z.union([z.strictObject({ text: z.string().min(1) }), WireCachePoint])).optional(),
  messages: z.array(
    z.strictObject({ role: z.enum(['user', 'assistant']), content: z.array(WireContentBlock) }),
  ),
  toolConfig: z
    .strictObject({
      tools: z
        .array(
          z.union([
            z.strictObject({
              toolSpec: z.strictObject({
                name: ToolName,
                description: z.string().min(1).optional(),
                inputSchema: z.strictObject({ json: JsonObject }),
              }),
            }),
            WireCachePoint,
          ]),
        )
        .min(1),
      toolChoice: WireToolChoice.optional(),
    })
    .optional(),
  requestMetadata: z.record(z.string(), z.string()).optional(),
});

type WireRequest = z.infer<typeof WireRequest>;
type WireContentBlock = z.infer<typeof WireContentBlock>;
type WireToolSpec = Extract<NonNullable<WireRequest['toolConfig']>['tools'][number], { toolSpec: unknown }>;

function isToolSpec(tool: NonNullable<WireRequest['toolConfig']>['tools'][number]): tool is WireToolSpec {
  return 'toolSpec' in tool;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
}

/** Checks the rules Bedrock applies to a conversation beyond its shape, with Bedrock's messages. */
function checkConversation(request: WireRequest, supportsImages: boolean): void {
  const { messages } = request;
  if (messages.length === 0)
    throw validationFailure('The messages field is empty. Add at least one message.');
  if (messages[0]?.role !== 'user') throw validationFailure('A conversation must start with a user message.');
  const toolNames = new Set(
    request.toolConfig?.tools.filter(isToolSpec).map((tool) => tool.toolSpec.name) ?? [],
  );
  const checkpoints =
    (request.system ?? []).filter((block) => 'cachePoint' in block).length +
    (request.toolConfig?.tools ?? []).filter((tool) => 'cachePoint' in tool).length +
    messages.reduce(
      (sum, message) => sum + message.content.filter((block) => 'cachePoint' in block).length,
      0,
    );
  if (checkpoints > MAXIMUM_CACHE_CHECKPOINTS) {
    throw validationFailure(
      `A request can hold at most ${MAXIMUM_CACHE_CHECKPOINTS} cachePoint blocks; this one holds ${checkpoints}.`,
    );
  }
  const choice = request.toolConfig?.toolChoice;
  if (choice && 'tool' in choice && !toolNames.has(choice.tool.name)) {
    throw validationFailure(`The toolChoice names ${choice.tool.name}, which is not in toolConfig.tools.`);
  }
  let pendingToolUses = new Set<string>();
  messages.forEach((message, index) => {
    const where = `messages.${index}`;
    if (index > 0 && messages[index - 1]?.role === message.role) {
      throw validationFailure(
        'A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.',
      );
    }
    if (message.content.length === 0) {
      throw validationFailure(
        `The content field in the Message object at ${where} is empty. Add a ContentBlock object to the content field and try again.`,
      );
    }
    const answered = new Set<string>();
    message.content.forEach((block, position) => {
      const at = `${where}.content.${position}`;
      if ('text' in block && block.text.trim() === '') {
        throw validationFailure(
          `The text field in the ContentBlock object at ${at} is blank. Add text to the text field, and try again.`,
        );
      }
      if (('toolUse' in block || 'toolResult' in block) && !request.toolConfig) {
        throw validationFailure(
          'The toolConfig field must be defined when using toolUse and toolResult content blocks.',
        );
      }
      if ('image' in block && !supportsImages) {
        throw validationFailure(
          `This model doesn't support the image content block at ${at}. Try again with a supported content block.`,
        );
      }
      if ('toolUse' in block && message.role !== 'assistant') {
        throw validationFailure(`The toolUse block at ${at} must be in an assistant message.`);
      }
      if ('toolResult' in block) {
        if (message.role !== 'user')
          throw validationFailure(`The toolResult block at ${at} must be in a user message.`);
        if (!pendingToolUses.has(block.toolResult.toolUseId)) {
          throw validationFailure(
            `The toolResult block at ${at} answers toolUseId ${block.toolResult.toolUseId}, which the previous assistant turn did not ask for.`,
          );
        }
        answered.add(block.toolResult.toolUseId);
      }
    });
    if (message.role === 'user') {
      const unanswered = [...pendingToolUses].filter((id) => !answered.has(id));
      if (unanswered.length > 0) {
        throw validationFailure(
          `Expected toolResult blocks at ${where}.content for the toolUse ids ${unanswered.join(', ')}.`,
        );
      }
      pendingToolUses = new Set();
    } else {
      pendingToolUses = new Set(
        message.content.flatMap((block) => ('toolUse' in block ? [block.toolUse.toolUseId] : [])),
      );
    }
  });
}

function toPortBlocks(block: WireContentBlock): ContentBlock[] {
  if ('cachePoint' in block) return [];
  return [toPortBlock(block)];
}

function toPortBlock(block: Exclude<WireContentBlock, { cachePoint: unknown }>): ContentBlock {
  if ('text' in block) return { text: block.text };
  if ('image' in block) {
    const bytes = new Uint8Array(Buffer.from(block.image.source.bytes, 'base64'));
    return { image: { format: block.image.format, source: { bytes } } };
  }
  if ('toolUse' in block) {
    const { toolUseId, name, input } = block.toolUse;
    return { toolUse: { toolUseId, name, input } };
  }
  const { toolUseId, content, status } = block.toolResult;
  return {
    toolResult: {
      toolUseId,
      content: content.map((item) => ('json' in item ? { json: item.json } : { text: item.text })),
      ...(status ? { status } : {}),
    },
  };
}

function toPortToolChoice(choice: z.infer<typeof WireToolChoice>): ToolChoice {
  if ('tool' in choice) return { tool: { name: choice.tool.name } };
  if ('any' in choice) return { any: {} };
  return { auto: {} };
}

/** Translates a wire request into the hosted model's parameters. */
function toConverseParams(request: WireRequest): Omit<ConverseParams, 'signal'> {
  const messages: Message[] = request.messages.map((message) => ({
    role: message.role,
    content: message.content.flatMap(toPortBlocks),
  }));
  const toolConfig = request.toolConfig;
  return {
    system: (request.system ?? []).flatMap((block) => ('text' in block ? [{ text: block.text }] : [])),
    messages,
    ...(toolConfig
      ? {
          tools: toolConfig.tools.filter(isToolSpec).map(({ toolSpec }) => ({
            name: toolSpec.name,
            description: toolSpec.description ?? '',
            inputSchema: { json: toolSpec.inputSchema.json },
          })),
        }
      : {}),
    ...(toolConfig?.toolChoice ? { toolChoice: toPortToolChoice(toolConfig.toolChoice) } : {}),
    ...(request.requestMetadata ? { requestMetadata: request.requestMetadata } : {}),
  };
}

/**
 * Tokens counted for an image block: what Anthropic's formula (width × height / 750) gives for an
 * image of about 1.15 megapixels, the most Claude reads without downscaling.
 */
export const IMAGE_TOKENS = 1600;

/** The request's prompt as the model reads it (tool specs, system prompt, messages) and its cache checkpoints. */
function promptOf(
  request: WireRequest,
  countTokens: TokenCounter,
): { segments: PromptSegment[]; checkpoints: number[] } {
  const segments: PromptSegment[] = [];
  const checkpoints: number[] = [];
  const tools = request.toolConfig?.tools ?? [];
  if (tools.length > 0) {
    const choice = request.toolConfig?.toolChoice;
    const auto = !choice || 'auto' in choice;
    segments.push({
      text: `tool-use system prompt (${auto ? 'auto' : 'any or tool'})`,
      tokens: auto ? TOOL_USE_SYSTEM_PROMPT_TOKENS : TOOL_USE_SYSTEM_PROMPT_TOKENS - 33,
    });
  }
  for (const tool of tools) {
    if ('cachePoint' in tool) checkpoints.push(segments.length);
    else {
      const text = JSON.stringify(tool.toolSpec);
      segments.push({ text, tokens: countTokens(text) });
    }
  }
  for (const block of request.system ?? []) {
    if ('cachePoint' in block) checkpoints.push(segments.length);
    else segments.push({ text: block.text, tokens: countTokens(block.text) });
  }
  for (const message of request.messages) {
    let overhead = MESSAGE_OVERHEAD_TOKENS;
    for (const block of message.content) {
      if ('cachePoint' in block) {
        checkpoints.push(segments.length);
        continue;
      }
      if ('image' in block) {
        segments.push({
          text: `${message.role}:image:${block.image.source.bytes}`,
          tokens: IMAGE_TOKENS + overhead,
        });
      } else {
        const text = 'text' in block ? block.text : JSON.stringify(block);
        segments.push({ text: `${message.role}:${text}`, tokens: countTokens(text) + overhead });
      }
      overhead = 0;
    }
  }
  return { segments, checkpoints };
}

/** The output tokens of an answer: its text, and each tool use's name and input JSON. */
function outputTokensOf(result: ConverseResult, countTokens: TokenCounter): number {
  return result.output.message.content.reduce((sum, block) => {
    if ('text' in block) return sum + countTokens(block.text);
    if ('toolUse' in block)
      return (
        sum + countTokens(block.toolUse.name) + countTokens(JSON.stringify(block.toolUse.input ?? {})) + 4
      );
    return sum;
  }, 0);
}

/** The answer blocks an assistant turn can carry on the wire: text and tool uses. */
type AnswerBlock = Extract<ContentBlock, { text: string } | { toolUse: unknown }>;

function answerBlocks(result: ConverseResult): AnswerBlock[] {
  return result.output.message.content.map((block, index) => {
    if ('text' in block || 'toolUse' in block) return block;
    const kind = Object.keys(block).join(', ');
    throw new BedrockErrorReply(
      500,
      'InternalServerException',
      `The hosted model answered with a ${kind} block at content.${index}; an answer carries text and toolUse blocks only.`,
    );
  });
}

function toWireBlock(block: AnswerBlock): BedrockContentBlock {
  if ('text' in block) return { text: block.text };
  const { toolUseId, name, input } = block.toolUse;
  return { toolUse: { toolUseId, name, input: (input ?? {}) as BedrockDocument } };
}

/** The Converse response body of a result, with the usage and latency to report. */
function toConverseResponse(result: ConverseResult, usage: TokenUsage, latencyMs: number): ConverseResponse {
  return {
    output: { message: { role: result.output.message.role, content: answerBlocks(result).map(toWireBlock) } },
    stopReason: result.stopReason,
    usage: { ...usage },
    metrics: { latencyMs },
  };
}

/** Splits text into pieces of at most `length` characters, never inside a surrogate pair. */
function pieces(text: string, length: number): string[] {
  const characters = Array.from(text);
  const result: string[] = [];
  for (let start = 0; start < characters.length; start += length) {
    result.push(characters.slice(start, start + length).join(''));
  }
  return result;
}

/**
 * The ConverseStream events of a result, as Bedrock streams them: `messageStart`; per text block its
 * `contentBlockDelta`s and a `contentBlockStop`; per tool use a `contentBlockStart` with its id and
 * name, its input JSON in `contentBlockDelta`s, and a `contentBlockStop`; then `messageStop` and
 * `metadata` with the usage (the result's unless `usage` is given) and latency.
 */
export function toConverseStreamEvents(
  result: ConverseResult,
  {
    chunkLength = 24,
    latencyMs = 0,
    usage,
  }: { chunkLength?: number; latencyMs?: number; usage?: TokenUsage } = {},
): ConverseStreamEvent[] {
  const events: ConverseStreamEvent[] = [
    { type: 'messageStart', payload: { role: result.output.message.role } },
  ];
  answerBlocks(result).forEach((block, contentBlockIndex) => {
    if ('text' in block) {
      for (const text of pieces(block.text, chunkLength)) {
        events.push({ type: 'contentBlockDelta', payload: { contentBlockIndex, delta: { text } } });
      }
    } else {
      const { toolUseId, name, input } = block.toolUse;
      events.push({
        type: 'contentBlockStart',
        payload: { contentBlockIndex, start: { toolUse: { toolUseId, name } } },
      });
      for (const json of pieces(JSON.stringify(input ?? {}), chunkLength)) {
        events.push({
          type: 'contentBlockDelta',
          payload: { contentBlockIndex, delta: { toolUse: { input: json } } },
        });
      }
    }
    events.push({ type: 'contentBlockStop', payload: { contentBlockIndex } });
  });
  events.push(
    { type: 'messageStop', payload: { stopReason: result.stopReason } },
    { type: 'metadata', payload: { usage: { ...(usage ?? result.usage) }, metrics: { latencyMs } } },
  );
  return events;
}

/** How an error of the hosted model reads on the wire. */
function hostedModelFailure(error: unknown): BedrockErrorReply {
  if (error instanceof BedrockErrorReply) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ModelThrottledError)
    return new BedrockErrorReply(429, 'ThrottlingException', message, { cause: error });
  if (error instanceof TimeoutError)
    return new BedrockErrorReply(408, 'ModelTimeoutException', message, { cause: error });
  if (error instanceof ValidationError)
    return new BedrockErrorReply(400, 'ValidationException', message, { cause: error });
  return new BedrockErrorReply(424, 'ModelErrorException', `The hosted model failed: ${message}`, {
    cause: error,
  });
}

const ROUTE = /^\/model\/([^/]+)\/(converse|converse-stream)$/;

/** A URL path segment decoded, or as it is when it is not valid percent-encoding. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Starts a {@link ConverseServer} on a free loopback port. */
export async function startConverseServer(options: ConverseServerOptions): Promise<ConverseServer> {
  const { model } = options;
  const modelId = options.modelId ?? model.id;
  const modelIds = new Set([modelId, ...(options.otherModelIds ?? [])]);
  const chunkLength = Math.max(1, options.streamChunkLength ?? 24);
  const { accounting, latency } = options;
  const clock = accounting?.now ?? (() => performance.now());
  const requests: RecordedConverseRequest[] = [];
  const sessions = new Set<Http2Session>();
  const clients: BedrockRuntimeClient[] = [];
  let requestCount = 0;

  /** The input side of a call's usage, from the wire, with the cache's reads and writes. */
  function inputUsage(
    request: WireRequest,
    calledModel: string,
    counter: TokenCounter,
    startedAt: number,
  ): Omit<TokenUsage, 'outputTokens' | 'totalTokens'> {
    const { segments, checkpoints } = promptOf(request, counter);
    const { promptCache } = accounting ?? {};
    if (!promptCache) return { inputTokens: segments.reduce((sum, segment) => sum + segment.tokens, 0) };
    return promptCache.account({
      modelId: calledModel,
      segments,
      checkpoints,
      startedAt,
      availableAt: (split) =>
        startedAt +
        (latency?.({ modelId: calledModel, usage: { ...split, outputTokens: 0, totalTokens: 0 } })
          .firstTokenMs ?? 0),
    });
  }

  async function handle(request: Http2ServerRequest, response: Http2ServerResponse): Promise<void> {
    requestCount += 1;
    const requestId = `local-${requestCount.toString().padStart(6, '0')}`;
    const hosted = new AbortController();
    const gone = new AbortController();
    let answered = false;
    response.on('close', () => {
      gone.abort();
      if (!answered) hosted.abort(new CancelledError('the client closed the connection'));
    });
    const parts: Buffer[] = [];
    try {
      for await (const part of request) parts.push(part as Buffer);
    } catch {
      return;
    }
    const readAt = performance.now();
    const sentHeader = Number(request.headers[SENT_AT_HEADER]);
    const sentAt = Number.isFinite(sentHeader) ? sentHeader - performance.timeOrigin : undefined;
    /** Where the modelled latency starts. */
    const receivedAt =
      options.latencyFrom === 'sent' && sentAt !== undefined ? Math.min(readAt, sentAt) : readAt;
    const arrivedAt = clock();
    const match = ROUTE.exec(request.url.split('?')[0] ?? '');
    const operation: ConverseOperation = match?.[2] === 'converse-stream' ? 'ConverseStream' : 'Converse';
    const recorded: RecordedConverseRequest = {
      operation,
      modelId: decodeSegment(match?.[1] ?? ''),
      headers: request.headers,
      body: undefined,
      receivedAt: performance.timeOrigin + readAt,
      ...(sentAt === undefined ? {} : { sentAt: performance.timeOrigin + sentAt }),
    };
    requests.push(recorded);
    const head = (status: number, headers: Record<string, string>): void => {
      answered = true;
      recorded.status = status;
      recorded.answeredAt = performance.timeOrigin + performance.now();
      response.writeHead(status, { 'x-amzn-requestid': requestId, ...headers });
    };
    const reply = (status: number, headers: Record<string, string>, body: string | Uint8Array[]): void => {
      head(status, headers);
      if (typeof body === 'string') {
        response.end(body);
        return;
      }
      for (const part of body) response.write(part);
      response.end();
    };
    /** Waits until `ms` after the request arrived; false when the client went away meanwhile. */
    const until = async (ms: number | undefined): Promise<boolean> => {
      const wait = ms === undefined ? 0 : receivedAt + ms - performance.now();
      if (wait > 0) await sleep(wait, undefined, { signal: gone.signal }).catch(() => undefined);
      return !gone.signal.aborted;
    };
    const text = Buffer.concat(parts).toString('utf8');
    try {
      if (request.method !== 'POST' || !match) {
        throw new BedrockErrorReply(404, 'UnknownOperationException', `No operation at ${request.url}.`);
      }
      try {
        recorded.body = text ? (JSON.parse(text) as unknown) : {};
      } catch (error) {
        throw new BedrockErrorReply(400, 'SerializationException', 'The request body is not JSON.', {
          cause: error,
        });
      }
      if (!modelIds.has(recorded.modelId))
        throw validationFailure('The provided model identifier is invalid.');
      const parsed = WireRequest.safeParse(recorded.body);
      if (!parsed.success) throw validationFailure(describeIssues(parsed.error));
      checkConversation(parsed.data, model.supportsImages);
      const params = toConverseParams(parsed.data);
      recorded.params = params;
      const counted = accounting
        ? inputUsage(parsed.data, recorded.modelId, accounting.countTokens, arrivedAt)
        : undefined;
      let result: ConverseResult;
      try {
        result = await model.converse({ ...params, signal: hosted.signal });
      } catch (error) {
        if (hosted.signal.aborted) return;
        throw hostedModelFailure(error);
      }
      if (hosted.signal.aborted) return;
      let usage = result.usage;
      if (accounting && counted) {
        const outputTokens = outputTokensOf(result, accounting.countTokens);
        usage = {
          ...counted,
          outputTokens,
          totalTokens:
            counted.inputTokens +
            outputTokens +
            (counted.cacheReadInputTokens ?? 0) +
            (counted.cacheWriteInputTokens ?? 0),
        };
      }
      recorded.usage = usage;
      const modelled = latency?.({ modelId: recorded.modelId, usage });
      recorded.latency = modelled;
      const latencyMs = Math.round(
        modelled?.totalMs ?? result.metrics?.latencyMs ?? performance.now() - receivedAt,
      );
      if (operation === 'Converse') {
        if (!(await until(modelled?.totalMs))) return;
        reply(
          200,
          { 'content-type': 'application/json' },
          JSON.stringify(toConverseResponse(result, usage, latencyMs)),
        );
        return;
      }
      const frames = toConverseStreamEvents(result, { chunkLength, latencyMs, usage }).map((event) =>
        eventFrame(event.type, event.payload),
      );
      if (!modelled) {
        reply(200, { 'content-type': 'application/vnd.amazon.eventstream' }, frames);
        return;
      }
      if (!(await until(modelled.firstTokenMs))) return;
      head(200, { 'content-type': 'application/vnd.amazon.eventstream' });
      const [first, ...rest] = frames;
      if (first) response.write(first);
      if (!(await until(modelled.totalMs))) return;
      for (const frame of rest) response.write(frame);
      response.end();
      recorded.answeredAt = performance.timeOrigin + performance.now();
    } catch (error) {
      const failure =
        error instanceof BedrockErrorReply
          ? error
          : new BedrockErrorReply(500, 'InternalServerException', String(error), { cause: error });
      reply(
        failure.status,
        { 'content-type': 'application/json', 'x-amzn-errortype': failure.type },
        JSON.stringify({ message: failure.message }),
      );
    }
  }

  const server = http2.createServer((request, response) => {
    void handle(request, response);
  });
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    endpoint,
    modelId,
    requests,
    receivedCalls: () => requests.flatMap((request) => (request.params ? [request.params] : [])),
    createClient() {
      const client = createLocalBedrockClient(endpoint);
      clients.push(client);
      return client;
    },
    reset() {
      requests.length = 0;
    },
    async close() {
      for (const client of clients) client.destroy();
      for (const session of sessions) session.destroy();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
