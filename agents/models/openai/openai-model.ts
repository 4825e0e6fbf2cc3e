import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import {
  AgentOutputError,
  CancelledError,
  ModelThrottledError,
  TimeoutError,
  UpstreamError,
} from '../../../domain/errors.ts';
import type { ConverseParams, ConverseResult, Model } from '../model.ts';
import {
  fromChatAnswer,
  toChatMessages,
  toChatToolChoice,
  toChatTools,
  type ChatAnswer,
} from './openai-mapping.ts';
import { assembleChatStream, serverSentData } from './openai-stream.ts';
import type { ChatCompletion, ChatCompletionRequest, ChatErrorBody } from './openai-wire.ts';

/** Inference parameters sent with every call. */
export interface OpenAiInferenceConfig {
  maxTokens?: number;
  temperature?: number;
  topP?: number;
}

/** Options of {@link createOpenAiModel}. */
export interface OpenAiModelOptions {
  /** Base URL of the API, e.g. `http://localhost:8000/v1`; requests go to `{baseUrl}/chat/completions`. */
  baseUrl: string;
  /** The model the server hosts (the request's `model`); also the {@link Model.id}. */
  modelName: string;
  /** Sent as `Authorization: Bearer …` when given. Never written to messages or logs. */
  apiKey?: string;
  /** The `fetch` to call. Defaults to the platform's. */
  fetch?: typeof globalThis.fetch;
  /**
   * Whether image blocks are sent, as `image_url` parts with `data:` URLs; when false they are left
   * out (a turn that held only images gets a short note instead). Defaults to false.
   */
  supportsImages?: boolean;
  /** Ask for a streamed answer (server-sent events) and assemble it. Defaults to false. */
  stream?: boolean;
  /**
   * Send the port's `requestMetadata` as the request's `metadata` (string key/values). Defaults to
   * true; turn it off for a server that refuses the field.
   */
  sendMetadata?: boolean;
  inferenceConfig?: OpenAiInferenceConfig;
  /** Retries after the first attempt for throttling, timeouts and transient server errors. Defaults to 3. */
  maxRetries?: number;
  /** Base of the exponential backoff in milliseconds. Defaults to 200. */
  baseDelayMs?: number;
  /** Upper bound of one backoff, and of a `Retry-After` wait, in milliseconds. Defaults to 20 000. */
  maxDelayMs?: number;
  /** Source of randomness in [0, 1) for the full jitter. Defaults to `Math.random`. */
  random?: () => number;
  /** Waits the given milliseconds. Defaults to a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Makes a tool use id when a server sends a tool call without one. Defaults to a random `call_…` id. */
  newToolUseId?: () => string;
  /** The clock for the latency, in milliseconds. Defaults to `performance.now`. */
  now?: () => number;
}

/** How a failed attempt may be retried. */
type FailureKind = 'throttled' | 'timeout' | 'transient' | 'fatal';

/** A failed attempt: what kind, what to say, the server's `Retry-After` and the cause. */
class AttemptFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly retryAfterMs: number | undefined,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'AttemptFailure';
  }
}

/**
 * The `openai` Model adapter: OpenAI-compatible chat completions (`POST {baseUrl}/chat/completions`)
 * with tool calling, as vLLM, Ollama, llama.cpp server and hosted providers serve it; streamed with
 * `stream: true`.
 *
 * Throttling (429), timeouts (408, 504, the connection's own) and transient server errors (5xx,
 * network failures) are retried with exponential backoff and full jitter, waiting at least the
 * server's `Retry-After`. When retries run out, throttling becomes {@link ModelThrottledError}, a
 * timeout {@link TimeoutError}, and other transient errors a retryable {@link UpstreamError}. Other
 * 4xx answers become a non-retryable {@link UpstreamError}, tool call arguments that are not a JSON
 * object an {@link AgentOutputError}. An aborted `signal` becomes {@link CancelledError}, and an
 * already aborted one makes no request. Each carries what went wrong as `cause`.
 */
export function createOpenAiModel(options: OpenAiModelOptions): Model {
  const { modelName } = options;
  const url = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const fetchFunction = options.fetch ?? globalThis.fetch;
  const supportsImages = options.supportsImages ?? false;
  const sendMetadata = options.sendMetadata ?? true;
  const maxRetries = Math.max(0, options.maxRetries ?? 3);
  const baseDelayMs = options.baseDelayMs ?? 200;
  const maxDelayMs = options.maxDelayMs ?? 20_000;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const newToolUseId = options.newToolUseId ?? (() => `call_${randomUUID().replaceAll('-', '')}`);
  const now = options.now ?? (() => performance.now());
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: options.stream ? 'text/event-stream' : 'application/json',
    ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
  };

  function buildRequest(params: ConverseParams): ChatCompletionRequest {
    const inference = options.inferenceConfig ?? {};
    const tools = params.tools && params.tools.length > 0 ? toChatTools(params.tools) : undefined;
    return {
      model: modelName,
      messages: toChatMessages(params.system, params.messages, supportsImages),
      ...(tools
        ? { tools, ...(params.toolChoice ? { tool_choice: toChatToolChoice(params.toolChoice) } : {}) }
        : {}),
      ...(inference.maxTokens === undefined ? {} : { max_tokens: inference.maxTokens }),
      ...(inference.temperature === undefined ? {} : { temperature: inference.temperature }),
      ...(inference.topP === undefined ? {} : { top_p: inference.topP }),
      ...(sendMetadata && params.requestMetadata ? { metadata: { ...params.requestMetadata } } : {}),
      ...(options.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    };
  }

  async function readAnswer(response: Response): Promise<ChatAnswer> {
    if (options.stream && (response.headers.get('content-type') ?? '').includes('text/event-stream')) {
      if (!response.body) throw new AttemptFailure('transient', 'the streamed answer has no body', undefined);
      return assembleChatStream(serverSentData(response.body), modelName);
    }
    const text = await response.text();
    let completion: Partial<ChatCompletion>;
    try {
      completion = JSON.parse(text) as Partial<ChatCompletion>;
    } catch (error) {
      throw new UpstreamError(
        `Model ${modelName} answered with a body that is not JSON: ${text.slice(0, 200)}`,
        {
          cause: error,
        },
      );
    }
    const choice = completion.choices?.[0];
    if (!choice?.message) {
      throw new UpstreamError(`Model ${modelName} answered without a choice`, { details: completion });
    }
    return {
      content: choice.message.content,
      toolCalls: choice.message.tool_calls ?? [],
      finishReason: choice.finish_reason,
      usage: completion.usage,
    };
  }

  async function attempt(body: string, signal: AbortSignal | undefined): Promise<ConverseResult> {
    const started = now();
    let response: Response;
    try {
      response = await fetchFunction(url, { method: 'POST', headers, body, ...(signal ? { signal } : {}) });
    } catch (error) {
      throw new AttemptFailure(isTimeout(error) ? 'timeout' : 'transient', describeCause(error), undefined, {
        cause: error,
      });
    }
    if (!response.ok) {
      const detail = await errorMessage(response);
      throw new AttemptFailure(
        failureKind(response.status),
        `HTTP ${response.status}${detail ? `: ${detail}` : ''}`,
        retryAfterMs(response.headers.get('retry-after'), Date.now()),
      );
    }
    let answer: ChatAnswer;
    try {
      answer = await readAnswer(response);
    } catch (error) {
      if (error instanceof AttemptFailure || error instanceof UpstreamError) throw error;
      throw new AttemptFailure(isTimeout(error) ? 'timeout' : 'transient', describeCause(error), undefined, {
        cause: error,
      });
    }
    const toolCalls = answer.toolCalls.map((call) => (call.id ? call : { ...call, id: newToolUseId() }));
    return fromChatAnswer({ ...answer, toolCalls }, modelName, Math.round(now() - started));
  }

  async function converse(params: ConverseParams): Promise<ConverseResult> {
    const { signal } = params;
    if (signal?.aborted) throw cancelled(modelName, signal.reason);
    const body = JSON.stringify(buildRequest(params));
    for (let retry = 0; ; retry += 1) {
      if (signal?.aborted) throw cancelled(modelName, signal.reason);
      try {
        return await attempt(body, signal);
      } catch (error) {
        if (signal?.aborted) throw cancelled(modelName, error);
        if (error instanceof AgentOutputError) throw error;
        if (error instanceof UpstreamError && !error.isRetryable) throw error;
        const failure =
          error instanceof AttemptFailure
            ? error
            : new AttemptFailure('transient', describeCause(error), undefined, { cause: error });
        if (failure.kind === 'fatal') {
          throw new UpstreamError(`Model ${modelName} at ${url} rejected the call: ${failure.message}`, {
            cause: failure,
            isRetryable: false,
          });
        }
        if (retry >= maxRetries) throw exhausted(modelName, failure, retry + 1);
        const backoff = Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** retry));
        const wait = Math.max(backoff, Math.min(maxDelayMs, failure.retryAfterMs ?? 0));
        await pause(sleep, wait, signal, modelName);
      }
    }
  }

  return { id: modelName, supportsImages, converse };
}

/** How an HTTP error status may be retried. */
function failureKind(status: number): FailureKind {
  if (status === 429) return 'throttled';
  if (status === 408 || status === 504) return 'timeout';
  if (status >= 500) return 'transient';
  return 'fatal';
}

/**
 * The wait a `Retry-After` header asks for, in milliseconds: delay seconds or an HTTP date; undefined
 * when absent or unreadable.
 */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** The message of an error answer: the `error.message` of the JSON body, or the start of the text. */
async function errorMessage(response: Response): Promise<string> {
  let text: string;
  try {
    text = await response.text();
  } catch {
    return '';
  }
  try {
    const body = JSON.parse(text) as Partial<ChatErrorBody> & { message?: unknown; detail?: unknown };
    if (typeof body.error?.message === 'string') return body.error.message;
    if (typeof body.error === 'string') return body.error;
    if (typeof body.message === 'string') return body.message;
    if (typeof body.detail === 'string') return body.detail;
  } catch {
    // not JSON: the text itself
  }
  return text.trim().slice(0, 300);
}

function isTimeout(error: unknown): boolean {
  const record = error as {
    name?: unknown;
    code?: unknown;
    cause?: { code?: unknown; name?: unknown };
  } | null;
  const codes = [record?.code, record?.cause?.code];
  return (
    record?.name === 'TimeoutError' ||
    record?.cause?.name === 'TimeoutError' ||
    codes.some(
      (code) =>
        code === 'UND_ERR_HEADERS_TIMEOUT' ||
        code === 'UND_ERR_BODY_TIMEOUT' ||
        code === 'UND_ERR_CONNECT_TIMEOUT' ||
        code === 'ETIMEDOUT',
    )
  );
}

/** A network error's message with its cause's (fetch reports `fetch failed` and puts the reason in `cause`). */
function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

function cancelled(modelName: string, cause: unknown): CancelledError {
  return new CancelledError(`The call to model ${modelName} was cancelled`, { cause });
}

function exhausted(modelName: string, failure: AttemptFailure, attempts: number): Error {
  const message = `Model ${modelName} failed after ${attempts} attempt(s): ${failure.message}`;
  const details = failure.retryAfterMs === undefined ? undefined : { retryAfterMs: failure.retryAfterMs };
  if (failure.kind === 'throttled') return new ModelThrottledError(message, { cause: failure, details });
  if (failure.kind === 'timeout') return new TimeoutError(message, { cause: failure });
  return new UpstreamError(message, { cause: failure, isRetryable: true });
}

async function pause(
  sleep: (ms: number) => Promise<void>,
  ms: number,
  signal: AbortSignal | undefined,
  modelName: string,
): Promise<void> {
  if (!signal) return sleep(ms);
  await new Promise<void>((resolve, reject) => {
    const onAbort = (): void => reject(cancelled(modelName, signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    sleep(ms).then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
