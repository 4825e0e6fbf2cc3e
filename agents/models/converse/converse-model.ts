import { setTimeout as delay } from 'node:timers/promises';
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  type ConverseCommandInput,
  type GuardrailTrace,
  type InferenceConfiguration,
  type Message as BedrockMessage,
} from '@aws-sdk/client-bedrock-runtime';
import { CancelledError, ModelThrottledError, TimeoutError, UpstreamError } from '../../../domain/errors.ts';
import { awsErrorKind, type AwsErrorKind } from '../../../domain/aws-errors.ts';
import type { ConverseParams, ConverseResult, Model } from '../model.ts';
import {
  CACHE_POINT,
  cachesPrompts,
  fromConverseResponse,
  toBedrockMessages,
  toBedrockSystem,
  toBedrockToolConfig,
} from './converse-mapping.ts';
import { assembleConverseStream } from './converse-stream.ts';
import { fitImages, type ImageContent } from './fit-image.ts';

/** A Bedrock guardrail applied to every call. */
export interface ConverseGuardrail {
  /** Guardrail id or ARN. */
  identifier: string;
  /** Guardrail version, e.g. `1` or `DRAFT`. */
  version: string;
  /** Whether Bedrock returns the guardrail trace. */
  trace?: GuardrailTrace;
}

/** Inference parameters sent with every call (Converse `inferenceConfig`). */
export interface ConverseInferenceConfig {
  maxTokens?: number;
  temperature?: number;
  topP?: number;
}

/** Options of {@link createConverseModel}. */
export interface ConverseModelOptions {
  /** Bedrock model id or inference profile id; also the {@link Model.id}. */
  modelId: string;
  /**
   * The Bedrock Runtime client. When omitted, one is built for `region` with the SDK's own retries
   * turned off, since this adapter retries. An injected client keeps its own retry settings.
   */
  client?: BedrockRuntimeClient;
  /** Region of the client built when `client` is omitted. */
  region?: string;
  /**
   * Whether image blocks are sent; when false they are left out of the request (a turn that held
   * only images gets a short note instead, since Converse refuses an empty turn). Sent images are
   * first fitted within Converse's limits (`fitImage`: at most 3.75 MB and 1,568 px on the
   * long edge). Defaults to false.
   */
  supportsImages?: boolean;
  guardrail?: ConverseGuardrail;
  inferenceConfig?: ConverseInferenceConfig;
  /** Use ConverseStream and assemble its events instead of Converse. Defaults to false. */
  stream?: boolean;
  /**
   * Prompt caching: a Converse `cachePoint` after the tool specs, after the system prompt and at
   * the end of the conversation, so the next calls read what they share with this one (the agent's
   * tools and instruction, and within a tool loop the turns so far) from Bedrock's cache (5
   * minutes) at a tenth of the input price; what a call adds is written at 1.25 times it. Defaults
   * to {@link cachesPrompts} of the model id (true for Claude models).
   */
  promptCaching?: boolean;
  /** Retries after the first attempt for throttling and transient server errors. Defaults to 3. */
  maxRetries?: number;
  /** Base of the exponential backoff in milliseconds. Defaults to 200. */
  baseDelayMs?: number;
  /** Upper bound of one backoff in milliseconds. Defaults to 20 000. */
  maxDelayMs?: number;
  /** Source of randomness in [0, 1) for the full jitter. Defaults to `Math.random`. */
  random?: () => number;
  /** Waits the given milliseconds. Defaults to a timer. */
  sleep?: (ms: number) => Promise<void>;
}

type Failure = AwsErrorKind;

/**
 * The `converse` Model adapter: Amazon Bedrock Converse, or ConverseStream with `stream: true`.
 *
 * Throttling and transient server errors are retried with exponential backoff and full jitter.
 * When retries run out, throttling becomes {@link ModelThrottledError}, a timeout
 * {@link TimeoutError}, and other transient errors a retryable {@link UpstreamError}. Errors that
 * retrying cannot fix (validation, access, unknown model…) become a non-retryable
 * {@link UpstreamError}. An aborted `signal` becomes {@link CancelledError}. Each carries the SDK
 * error as `cause`.
 */
export function createConverseModel(options: ConverseModelOptions): Model {
  const { modelId } = options;
  const client = options.client ?? new BedrockRuntimeClient({ region: options.region, maxAttempts: 1 });
  const supportsImages = options.supportsImages ?? false;
  const maxRetries = Math.max(0, options.maxRetries ?? 3);
  const baseDelayMs = options.baseDelayMs ?? 200;
  const maxDelayMs = options.maxDelayMs ?? 20_000;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const inferenceConfig = toInferenceConfig(options.inferenceConfig);
  const promptCaching = options.promptCaching ?? cachesPrompts(modelId);
  // Photos fitted within Converse's image limits, by their bytes: a tool loop sends the same photo on every call.
  const fittedImages = new WeakMap<Uint8Array, Promise<ImageContent>>();

  function buildInput(params: ConverseParams): ConverseCommandInput {
    const toolConfig = toBedrockToolConfig(params.tools, params.toolChoice, promptCaching);
    const guardrail = options.guardrail;
    return {
      modelId,
      system: toBedrockSystem(params.system, promptCaching),
      messages: promptCaching
        ? withConversationCachePoint(toBedrockMessages(params.messages, supportsImages))
        : toBedrockMessages(params.messages, supportsImages),
      ...(toolConfig ? { toolConfig } : {}),
      ...(inferenceConfig ? { inferenceConfig } : {}),
      ...(params.requestMetadata ? { requestMetadata: params.requestMetadata } : {}),
      ...(guardrail
        ? {
            guardrailConfig: {
              guardrailIdentifier: guardrail.identifier,
              guardrailVersion: guardrail.version,
              ...(guardrail.trace ? { trace: guardrail.trace } : {}),
            },
          }
        : {}),
    };
  }

  async function attempt(
    input: ConverseCommandInput,
    signal: AbortSignal | undefined,
  ): Promise<ConverseResult> {
    const sendOptions = signal ? { abortSignal: signal } : {};
    if (options.stream) {
      const response = await client.send(new ConverseStreamCommand(input), sendOptions);
      if (!response.stream) {
        throw new UpstreamError(
          `Bedrock model ${modelId} returned a ConverseStream response without a stream`,
        );
      }
      return assembleConverseStream(response.stream, modelId);
    }
    const response = await client.send(new ConverseCommand(input), sendOptions);
    return fromConverseResponse(response);
  }

  async function converse(params: ConverseParams): Promise<ConverseResult> {
    const { signal } = params;
    const input = buildInput(
      supportsImages ? { ...params, messages: await fitImages(params.messages, fittedImages) } : params,
    );
    for (let retry = 0; ; retry += 1) {
      if (signal?.aborted) throw cancelled(modelId, signal.reason);
      try {
        return await attempt(input, signal);
      } catch (error) {
        if (error instanceof UpstreamError) throw error;
        if (signal?.aborted || isAbortError(error)) throw cancelled(modelId, error);
        const failure = awsErrorKind(error);
        if (failure === 'fatal') {
          throw new UpstreamError(`Bedrock model ${modelId} rejected the call: ${describe(error)}`, {
            cause: error,
            isRetryable: false,
          });
        }
        if (retry >= maxRetries) throw exhausted(modelId, failure, error, retry + 1);
        const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** retry);
        await pause(sleep, Math.floor(random() * ceiling), signal, modelId);
      }
    }
  }

  return { id: modelId, supportsImages, converse };
}

/**
 * The conversation with a cache checkpoint after its last block: the next call of a tool loop
 * starts with the same turns, so it reads them from the cache and writes only its new ones.
 */
function withConversationCachePoint(messages: BedrockMessage[]): BedrockMessage[] {
  const last = messages.at(-1);
  if (!last?.content || last.content.length === 0) return messages;
  return [...messages.slice(0, -1), { ...last, content: [...last.content, CACHE_POINT] }];
}

function toInferenceConfig(config: ConverseInferenceConfig | undefined): InferenceConfiguration | undefined {
  if (!config) return undefined;
  const result: InferenceConfiguration = {};
  if (config.maxTokens !== undefined) result.maxTokens = config.maxTokens;
  if (config.temperature !== undefined) result.temperature = config.temperature;
  if (config.topP !== undefined) result.topP = config.topP;
  return Object.keys(result).length > 0 ? result : undefined;
}

interface ErrorFacts {
  name: string;
  message: string;
  status: number | undefined;
  code: string | undefined;
}

function facts(error: unknown): ErrorFacts {
  if (typeof error !== 'object' || error === null) {
    return { name: 'Error', message: String(error), status: undefined, code: undefined };
  }
  const record = error as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  const status = record.$metadata?.httpStatusCode;
  return {
    name: typeof record.name === 'string' ? record.name : 'Error',
    message: typeof record.message === 'string' ? record.message : '',
    status: typeof status === 'number' ? status : undefined,
    code: typeof record.code === 'string' ? record.code : undefined,
  };
}

function isAbortError(error: unknown): boolean {
  return facts(error).name === 'AbortError';
}

function describe(error: unknown): string {
  const { name, message, status } = facts(error);
  const suffix = status === undefined ? '' : ` (HTTP ${status})`;
  return message ? `${name}: ${message}${suffix}` : `${name}${suffix}`;
}

function cancelled(modelId: string, cause: unknown): CancelledError {
  return new CancelledError(`The call to Bedrock model ${modelId} was cancelled`, { cause });
}

function exhausted(modelId: string, failure: Failure, error: unknown, attempts: number): Error {
  const message = `Bedrock model ${modelId} failed after ${attempts} attempt(s): ${describe(error)}`;
  if (failure === 'throttled') return new ModelThrottledError(message, { cause: error });
  if (failure === 'timeout') return new TimeoutError(message, { cause: error });
  return new UpstreamError(message, { cause: error, isRetryable: true });
}

async function pause(
  sleep: (ms: number) => Promise<void>,
  ms: number,
  signal: AbortSignal | undefined,
  modelId: string,
): Promise<void> {
  if (!signal) return sleep(ms);
  await new Promise<void>((resolve, reject) => {
    const onAbort = (): void => reject(cancelled(modelId, signal.reason));
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
