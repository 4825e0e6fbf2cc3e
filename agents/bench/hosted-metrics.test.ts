import { describe, expect, it } from 'vitest';
import { costOf, criticalPathMs, measureAnalysis, type ObservedCall } from './hosted-metrics.ts';

const SONNET = 'sonnet';

function call(agent: string, receivedAt: number, answeredAt: number, modelledMs: number): ObservedCall {
  return {
    agent,
    modelId: SONNET,
    usage: { inputTokens: 1000, outputTokens: 100, totalTokens: 3100, cacheReadInputTokens: 2000 },
    modelledMs,
    receivedAt,
    answeredAt,
  };
}

describe('bench:hosted measures', () => {
  it('prices uncached input, cache writes and reads, and output', () => {
    const usage = {
      inputTokens: 1_000_000,
      outputTokens: 1_000_000,
      totalTokens: 4_000_000,
      cacheReadInputTokens: 1_000_000,
      cacheWriteInputTokens: 1_000_000,
    };
    expect(costOf(usage, { input: 3, output: 15 })).toBeCloseTo(3 + 15 + 0.3 + 3.75);
    expect(costOf(usage, { input: 3, output: 15, cacheRead: 0.5, cacheWrite: 4 })).toBeCloseTo(22.5);
  });

  it('takes calls made one after the other in full and overlapping calls once', () => {
    const sequential = [call('classifier', 0, 100, 90), call('root-cause', 110, 300, 180)];
    const overlapping = [...sequential, call('root-cause', 120, 250, 120), call('root-cause', 305, 400, 90)];

    expect(criticalPathMs(sequential)).toBe(270);
    expect(criticalPathMs(overlapping)).toBe(90 + 180 + 90);
  });

  it('adds up an analysis: calls per agent, tokens, cost, latency and the classifier’s own model time', () => {
    const calls = [
      call('classifier', 0, 100, 90),
      call('classifier', 105, 200, 90),
      call('root-cause', 210, 400, 180),
    ];

    const measure = measureAnalysis({
      calls,
      prices: { currency: 'USD', models: { [SONNET]: { input: 3, output: 15 } } },
      startedAt: 0,
      firstStageAt: 201,
      endedAt: 420,
      agents: ['classifier', 'root_cause'],
    });

    expect(measure).toMatchObject({
      fullRca: false,
      callsPerAgent: { classifier: 2, 'root-cause': 1 },
      usage: { inputTokens: 3000, cacheReadInputTokens: 6000, cacheWriteInputTokens: 0, outputTokens: 300 },
      endToEndMs: 420,
      firstStageMs: 201,
      criticalPathMs: 360,
      classifierModelMs: 180,
    });
    expect(measure.cost).toBeCloseTo((3000 * 3 + 6000 * 0.3 + 300 * 15) / 1_000_000);
  });
});
