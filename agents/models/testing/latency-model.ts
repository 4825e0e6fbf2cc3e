/**
 * How long a hosted model takes for one call: a fixed time to the first token, plus time for each
 * input token it has to read (the prompt cache's reads cost nothing here), plus time for each output
 * token it writes.
 */
export interface LatencyProfile {
  /** Time to the first token of a call with an empty prompt, in ms. */
  firstTokenMs: number;
  /** Time to read one input token that is not read from the cache (uncached or written to it), in ms. */
  msPerInputToken: number;
  /** Time to write one output token, in ms. */
  msPerOutputToken: number;
}

/**
 * Resembles Claude Sonnet 4.5 on Bedrock as third parties measured it in late 2025 (about 1 to 2 s
 * to the first token, about 60 to 70 output tokens a second); an assumption, not a measurement made
 * here. Set it with `bench:hosted`'s options.
 */
export const SONNET_LATENCY: LatencyProfile = {
  firstTokenMs: 1000,
  msPerInputToken: 0.04,
  msPerOutputToken: 16,
};

/**
 * Resembles Claude Haiku 4.5 on Bedrock (about 0.5 to 1 s to the first token, about 100 to 150
 * output tokens a second); an assumption, not a measurement made here.
 */
export const HAIKU_LATENCY: LatencyProfile = {
  firstTokenMs: 500,
  msPerInputToken: 0.02,
  msPerOutputToken: 8,
};

/** The tokens of a call that its latency depends on. */
export interface CallTokens {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

/** When a call's first token and its last arrive, in ms after the request. */
export interface CallLatency {
  firstTokenMs: number;
  totalMs: number;
}

/** The modelled latency of a call under a profile, optionally scaled (0.1 runs ten times faster). */
export function callLatency(profile: LatencyProfile, tokens: CallTokens, scale = 1): CallLatency {
  const read = tokens.inputTokens + (tokens.cacheWriteInputTokens ?? 0);
  const firstTokenMs = (profile.firstTokenMs + read * profile.msPerInputToken) * scale;
  return { firstTokenMs, totalMs: firstTokenMs + tokens.outputTokens * profile.msPerOutputToken * scale };
}

/** The profile of a model id: {@link HAIKU_LATENCY} for Haiku models, {@link SONNET_LATENCY} otherwise. */
export function defaultLatencyProfile(modelId: string): LatencyProfile {
  return /haiku/i.test(modelId) ? HAIKU_LATENCY : SONNET_LATENCY;
}
