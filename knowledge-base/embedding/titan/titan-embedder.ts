import { BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { z } from 'zod';
import {
  awsErrorKind,
  awsErrorStatus,
  CancelledError,
  isAwsServiceError,
  ModelThrottledError,
  UpstreamError,
  ValidationError,
  type DomainError,
} from '../../../domain/index.ts';
import type { Embedder } from '../embedder.ts';

/** Output sizes Titan Text Embeddings V2 supports. */
export type TitanDimensions = 256 | 512 | 1024;

/** Settings of {@link createTitanEmbedder}. */
export interface TitanEmbedderOptions {
  /**
   * The Bedrock runtime client. Without one, a client for `region` is created with
   * `maxAttempts: 1`, because this embedder does its own retrying.
   */
  client?: BedrockRuntimeClient;
  /** Region of the client created when none is given. */
  region?: string;
  /** `amazon.titan-embed-text-v2:0` by default. */
  modelId?: string;
  /** 1024 by default. */
  dimensions?: TitanDimensions;
  /** InvokeModel calls in flight at once; 4 by default. */
  concurrency?: number;
  /** Retries of one text after throttling or a server error; 3 by default. */
  maxRetries?: number;
  /** Base of the exponential backoff, in milliseconds; 200 by default. */
  baseDelayMs?: number;
  /** Upper bound of one backoff, in milliseconds; 5000 by default. */
  maxDelayMs?: number;
  /** Waits between retries; injected so tests do not wait. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** A number in [0, 1) for the jitter; `Math.random` by default. */
  random?: () => number;
}

/** Titan V2 accepts up to 50,000 characters (and 8,192 tokens) per call. */
const MAX_INPUT_CHARS = 50_000;

const responseSchema = z.object({
  embedding: z.array(z.number()),
  inputTextTokenCount: z.number().optional(),
});

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new CancelledError('the embedding was cancelled', { cause: signal.reason }));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new CancelledError('the embedding was cancelled', { cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Maps an InvokeModel failure to a typed error; throttling and server faults are retryable. */
export function mapBedrockRuntimeError(error: unknown, modelId: string, signal?: AbortSignal): DomainError {
  if (signal?.aborted || (error instanceof Error && error.name === 'AbortError')) {
    return new CancelledError('the embedding was cancelled', { cause: error });
  }
  if (!isAwsServiceError(error)) {
    return new UpstreamError(`calling Bedrock model ${modelId} failed`, { cause: error, isRetryable: true });
  }
  const status = awsErrorStatus(error);
  const kind = awsErrorKind(error);
  if (kind === 'throttled') {
    return new ModelThrottledError(`Bedrock throttled model ${modelId}: ${error.message}`, { cause: error });
  }
  return new UpstreamError(`Bedrock model ${modelId} failed with ${error.name}: ${error.message}`, {
    cause: error,
    isRetryable: kind !== 'fatal',
    details: { name: error.name, status },
  });
}

/** Runs `task` over `items` with at most `limit` in flight; results keep the input order. */
async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next;
      next += 1;
      try {
        results[index] = await task(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * The Embedder port over Amazon Titan Text Embeddings V2 on Bedrock. Titan V2 embeds one
 * `inputText` per InvokeModel call, so the texts are sent one call each, at most `concurrency`
 * at a time. Throttling and server errors are retried with exponential backoff and full jitter.
 * Titan is always asked for normalised vectors, as the port promises. Every vector is checked
 * to have `dimensions` numbers. The id is `titan-v2-<dimensions>`.
 */
export function createTitanEmbedder(options: TitanEmbedderOptions = {}): Embedder {
  const {
    modelId = 'amazon.titan-embed-text-v2:0',
    dimensions = 1024,
    concurrency = 4,
    maxRetries = 3,
    baseDelayMs = 200,
    maxDelayMs = 5000,
    sleep = defaultSleep,
    random = Math.random,
  } = options;
  if (![256, 512, 1024].includes(dimensions)) {
    throw new ValidationError(`Titan V2 dimensions must be 256, 512 or 1024, got ${dimensions}`);
  }
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new ValidationError(`concurrency must be a positive integer, got ${concurrency}`);
  }
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new ValidationError(`maxRetries must be a non-negative integer, got ${maxRetries}`);
  }
  const client = options.client ?? new BedrockRuntimeClient({ region: options.region, maxAttempts: 1 });

  async function invokeOnce(text: string, signal?: AbortSignal): Promise<Float32Array> {
    let output;
    try {
      output = await client.send(
        new InvokeModelCommand({
          modelId,
          contentType: 'application/json',
          accept: 'application/json',
          body: JSON.stringify({ inputText: text, dimensions, normalize: true }),
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      throw mapBedrockRuntimeError(error, modelId, signal);
    }
    let parsed;
    try {
      parsed = responseSchema.parse(JSON.parse(new TextDecoder().decode(output.body)));
    } catch (cause) {
      throw new UpstreamError(`Bedrock model ${modelId} returned a body that is not a Titan embedding`, {
        cause,
      });
    }
    if (parsed.embedding.length !== dimensions) {
      throw new UpstreamError(
        `Bedrock model ${modelId} returned ${parsed.embedding.length} numbers, expected ${dimensions}`,
      );
    }
    return Float32Array.from(parsed.embedding);
  }

  async function embedOne(text: string, signal?: AbortSignal): Promise<Float32Array> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await invokeOnce(text, signal);
      } catch (error) {
        const retryable = error instanceof Error && 'isRetryable' in error && error.isRetryable === true;
        if (!retryable || attempt >= maxRetries) throw error;
        const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
        await sleep(Math.floor(random() * ceiling), signal);
      }
    }
  }

  return {
    id: `titan-v2-${dimensions}`,
    dimensions,
    async embed({ texts, signal }) {
      texts.forEach((text, index) => {
        if (text.trim().length === 0)
          throw new ValidationError(`text ${index} is empty; Titan needs some text`);
        if (text.length > MAX_INPUT_CHARS) {
          throw new ValidationError(
            `text ${index} has ${text.length} characters; Titan V2 accepts at most ${MAX_INPUT_CHARS}`,
          );
        }
      });
      if (signal?.aborted) throw new CancelledError('the embedding was cancelled', { cause: signal.reason });
      return mapBounded(texts, concurrency, (text) => embedOne(text, signal));
    },
  };
}
