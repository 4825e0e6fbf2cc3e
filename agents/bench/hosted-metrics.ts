import type { PriceTable } from '../../evals/prices.ts';
import type { TokenUsage } from '../models/model.ts';

/** One model call as the local Bedrock server saw it. */
export interface ObservedCall {
  /** The agent that made it (`requestMetadata.agent`). */
  agent: string;
  modelId: string;
  usage: TokenUsage;
  /** Its modelled latency (time to first token plus output), in ms. */
  modelledMs: number;
  /**
   * When the modelled latency started (the request's arrival, or its sending when the bench models
   * latency from there) and when it was answered in full, in ms since the epoch.
   */
  receivedAt: number;
  answeredAt: number;
  /** How long the request waited between the service sending it and the stand-in reading it, in ms. */
  queuedMs?: number;
}

/** USD per million tokens of one model. */
export interface ModelPrice {
  input: number;
  output: number;
  /** Cache writes; 1.25 × `input` (Anthropic's 5-minute cache write) when absent. */
  cacheWrite?: number;
  /** Cache reads; 0.1 × `input` (Anthropic's cache read) when absent. */
  cacheRead?: number;
}

export { PriceTable } from '../../evals/prices.ts';

/** The cost of a usage at a model's prices, in the table's currency. */
export function costOf(usage: TokenUsage, price: ModelPrice): number {
  const cacheWrite = price.cacheWrite ?? price.input * 1.25;
  const cacheRead = price.cacheRead ?? price.input * 0.1;
  return (
    (usage.inputTokens * price.input +
      (usage.cacheWriteInputTokens ?? 0) * cacheWrite +
      (usage.cacheReadInputTokens ?? 0) * cacheRead +
      usage.outputTokens * price.output) /
    1_000_000
  );
}

/**
 * The critical path of a set of model calls: the longest chain of calls, each starting after the
 * previous one was answered, weighted by modelled latency. For calls made one after the other it
 * is the sum of their modelled latencies; calls that overlap count once. It is the least time the
 * calls' order allows: an end-to-end latency equal to it means nothing but the models was waited for.
 */
export function criticalPathMs(calls: readonly ObservedCall[]): number {
  const sorted = [...calls].sort((left, right) => left.receivedAt - right.receivedAt);
  const longest: number[] = [];
  let best = 0;
  sorted.forEach((call, index) => {
    let before = 0;
    for (let earlier = 0; earlier < index; earlier += 1) {
      const previous = sorted[earlier] as ObservedCall;
      if (previous.answeredAt <= call.receivedAt) before = Math.max(before, longest[earlier] ?? 0);
    }
    longest[index] = before + call.modelledMs;
    best = Math.max(best, longest[index]);
  });
  return best;
}

/** What one analysis cost and how long it took. */
export interface AnalysisMeasure {
  /** Whether all three agents ran (a defect of a known type). */
  fullRca: boolean;
  callsPerAgent: Record<string, number>;
  usage: Required<TokenUsage>;
  cost: number;
  endToEndMs: number;
  /** From the start to the streamed classification (`stage_completed` of the classifier). */
  firstStageMs: number;
  criticalPathMs: number;
  /** The classifier's own model time: the critical path of its calls. */
  classifierModelMs: number;
}

/** Adds up an analysis's calls. */
export function measureAnalysis({
  calls,
  prices,
  startedAt,
  firstStageAt,
  endedAt,
  agents,
}: {
  calls: readonly ObservedCall[];
  prices: PriceTable;
  startedAt: number;
  firstStageAt: number;
  endedAt: number;
  /** The agents whose steps completed. */
  agents: readonly string[];
}): AnalysisMeasure {
  const callsPerAgent: Record<string, number> = {};
  const usage: Required<TokenUsage> = {
    inputTokens: 0,
    outputTokens: 0,
    totalTokens: 0,
    cacheReadInputTokens: 0,
    cacheWriteInputTokens: 0,
  };
  let cost = 0;
  for (const call of calls) {
    callsPerAgent[call.agent] = (callsPerAgent[call.agent] ?? 0) + 1;
    usage.inputTokens += call.usage.inputTokens;
    usage.outputTokens += call.usage.outputTokens;
    usage.totalTokens += call.usage.totalTokens;
    usage.cacheReadInputTokens += call.usage.cacheReadInputTokens ?? 0;
    usage.cacheWriteInputTokens += call.usage.cacheWriteInputTokens ?? 0;
    const price = prices.models[call.modelId];
    if (!price) throw new Error(`no price for model ${call.modelId}`);
    cost += costOf(call.usage, price);
  }
  return {
    fullRca: agents.length === 3,
    callsPerAgent,
    usage,
    cost,
    endToEndMs: endedAt - startedAt,
    firstStageMs: firstStageAt - startedAt,
    criticalPathMs: criticalPathMs(calls),
    classifierModelMs: criticalPathMs(calls.filter((call) => call.agent === 'classifier')),
  };
}

/** The value at a share (0..1) of sorted values. */
export function percentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] as number;
}

/** The mean of values, or NaN for none. */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length;
}
