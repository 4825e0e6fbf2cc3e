import { createHash } from 'node:crypto';

/** One piece of a prompt, in the order the model reads it: its canonical text and its tokens. */
export interface PromptSegment {
  text: string;
  tokens: number;
}

/** The input tokens of a call split as Converse reports them. */
export interface CachedInputUsage {
  /** Input neither read from nor written to the cache. */
  inputTokens: number;
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
}

/** Parameters of {@link PromptCache.account}. */
export interface AccountParams {
  modelId: string;
  /** The prompt in the model's order: tool specs, system prompt, messages. */
  segments: readonly PromptSegment[];
  /** The cache checkpoints, each as the number of segments before it, in increasing order. */
  checkpoints: readonly number[];
  /** When the call started, in ms on the cache's clock. */
  startedAt: number;
  /**
   * When what this call writes can be read by other calls, in ms on the cache's clock: when the
   * model has read the prompt (its first token), which may depend on the split. `startedAt` by default.
   */
  availableAt?: number | ((split: CachedInputUsage) => number);
}

/** Bedrock's prompt cache as the local server keeps it: per model, by prompt prefix. */
export interface PromptCache {
  /** Looks the call's checkpoints up, writes the missing ones, and splits its input tokens. */
  account(params: AccountParams): CachedInputUsage;
  /** Forgets every entry. */
  clear(): void;
}

/** Options of {@link createPromptCache}. */
export interface PromptCacheOptions {
  /** Tokens a checkpoint must cover since the previous one to be cached. {@link minimumCacheTokens} by default. */
  minimumTokens?: (modelId: string) => number;
  /** How long an entry lives after it was last written or read, in ms. 5 minutes (Bedrock's default) by default. */
  timeToLiveMs?: number;
}

/**
 * The minimum tokens of a cache checkpoint that Anthropic and Bedrock document for the Claude
 * models: 4,096 for Claude Haiku 4.5 and Opus 4.5, 2,048 for Claude Haiku 3.5 and 3, and 1,024
 * for the others (Claude Sonnet 4.5, Sonnet 4, Opus 4 and 4.1, Sonnet 3.7).
 */
export function minimumCacheTokens(modelId: string): number {
  if (/haiku-4|opus-4-5/.test(modelId)) return 4096;
  if (/haiku/.test(modelId)) return 2048;
  return 1024;
}

/**
 * How many block boundaries before a checkpoint are looked up too: a call whose checkpoint moved
 * on (a tool loop's next turn) still reads what an earlier call wrote at an earlier boundary.
 * Anthropic documents about 20.
 */
export const LOOKBACK_BLOCKS = 20;

/** The most cache checkpoints Bedrock accepts in one request. */
export const MAXIMUM_CACHE_CHECKPOINTS = 4;

interface Entry {
  availableAt: number;
  expiresAt: number;
}

/**
 * A prompt cache that accounts cache reads and writes as Bedrock does for Claude models: the
 * prompt is read as tool specs, then the system prompt, then the messages, and each checkpoint
 * names the prefix before it. A checkpoint is cached only when it covers at least the model's
 * minimum tokens since the previous cached checkpoint. A call reads the longest cached prefix that
 * is available (its writer has produced its first token) and has not expired, which renews it,
 * looking at its checkpoints and at the {@link LOOKBACK_BLOCKS} block boundaries before each;
 * it writes the tokens from there up to its last cached checkpoint; the rest of its input is
 * plain input. Concurrent calls that find a prefix still being written write it again, as on
 * Bedrock.
 */
export function createPromptCache(options: PromptCacheOptions = {}): PromptCache {
  const minimumTokens = options.minimumTokens ?? minimumCacheTokens;
  const timeToLiveMs = options.timeToLiveMs ?? 5 * 60_000;
  const entries = new Map<string, Entry>();

  return {
    account({ modelId, segments, checkpoints, startedAt, availableAt: available = startedAt }) {
      const total = segments.reduce((sum, segment) => sum + segment.tokens, 0);
      const minimum = minimumTokens(modelId);
      // The prefix before each block boundary: its key and its tokens.
      const last = Math.min(Math.max(0, ...checkpoints), segments.length);
      const prefixes: Array<{ key: string; tokens: number }> = [];
      const hash = createHash('sha256').update(modelId);
      let tokens = 0;
      prefixes.push({ key: hash.copy().digest('base64'), tokens });
      for (let position = 0; position < last; position += 1) {
        const segment = segments[position] as PromptSegment;
        hash.update(`\u0000${segment.text}`);
        tokens += segment.tokens;
        prefixes.push({ key: hash.copy().digest('base64'), tokens });
      }
      const cached: Array<{ key: string; tokens: number; at: number }> = [];
      let previous = 0;
      for (const checkpoint of checkpoints) {
        const prefix = prefixes[Math.min(checkpoint, last)] as { key: string; tokens: number };
        if (prefix.tokens - previous < minimum) continue;
        cached.push({ ...prefix, at: Math.min(checkpoint, last) });
        previous = prefix.tokens;
      }
      let read = 0;
      for (const checkpoint of cached) {
        for (
          let boundary = checkpoint.at;
          boundary >= Math.max(1, checkpoint.at - LOOKBACK_BLOCKS);
          boundary -= 1
        ) {
          const prefix = prefixes[boundary] as { key: string; tokens: number };
          if (prefix.tokens <= read) break;
          const entry = entries.get(prefix.key);
          if (entry && entry.expiresAt > startedAt && entry.availableAt <= startedAt) {
            read = prefix.tokens;
            entry.expiresAt = startedAt + timeToLiveMs;
            break;
          }
        }
      }
      const written = Math.max(0, (cached.at(-1)?.tokens ?? 0) - read);
      const split = {
        inputTokens: total - read - written,
        cacheReadInputTokens: read,
        cacheWriteInputTokens: written,
      };
      const availableAt = typeof available === 'function' ? available(split) : available;
      for (const checkpoint of cached) {
        if (checkpoint.tokens <= read) continue;
        const entry = entries.get(checkpoint.key);
        const usable = entry && entry.expiresAt > availableAt;
        if (!usable || entry.availableAt > availableAt) {
          entries.set(checkpoint.key, { availableAt, expiresAt: availableAt + timeToLiveMs });
        }
      }
      return split;
    },
    clear() {
      entries.clear();
    },
  };
}
