import { describe, expect, it } from 'vitest';
import { createPromptCache, minimumCacheTokens, type PromptSegment } from './prompt-cache.ts';

const SONNET = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const HAIKU = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';

function segment(text: string, tokens: number): PromptSegment {
  return { text, tokens };
}

/** Tools (1,200 tokens), a system prompt (3,000) and a user turn (500), with checkpoints after tools and system. */
function prompt(user = 'rust spots'): { segments: PromptSegment[]; checkpoints: number[] } {
  return {
    segments: [segment('tools', 1200), segment('system', 3000), segment(user, 500)],
    checkpoints: [1, 2],
  };
}

describe('prompt cache', () => {
  it('writes the prefix up to the last checkpoint on a miss, then reads it', () => {
    const cache = createPromptCache();

    const first = cache.account({ modelId: SONNET, ...prompt(), startedAt: 0 });
    const second = cache.account({ modelId: SONNET, ...prompt('chips on the edge'), startedAt: 10 });

    expect(first).toEqual({ inputTokens: 500, cacheReadInputTokens: 0, cacheWriteInputTokens: 4200 });
    expect(second).toEqual({ inputTokens: 500, cacheReadInputTokens: 4200, cacheWriteInputTokens: 0 });
  });

  it('reads the longest cached prefix and writes the rest', () => {
    const cache = createPromptCache();
    cache.account({ modelId: SONNET, segments: [segment('tools', 1200)], checkpoints: [1], startedAt: 0 });

    expect(cache.account({ modelId: SONNET, ...prompt(), startedAt: 5 })).toEqual({
      inputTokens: 500,
      cacheReadInputTokens: 1200,
      cacheWriteInputTokens: 3000,
    });
  });

  it('skips a checkpoint that covers fewer tokens than the model’s minimum since the previous one', () => {
    const cache = createPromptCache();

    // Haiku 4.5 needs 4,096: the checkpoint after the tools (1,200) is not cached, the one after the system (4,200) is.
    expect(cache.account({ modelId: HAIKU, ...prompt(), startedAt: 0 })).toEqual({
      inputTokens: 500,
      cacheReadInputTokens: 0,
      cacheWriteInputTokens: 4200,
    });
    expect(
      cache.account({ modelId: HAIKU, segments: [segment('short', 900)], checkpoints: [1], startedAt: 0 }),
    ).toEqual({ inputTokens: 900, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 });
  });

  it('keeps models apart, misses a changed prefix, and forgets entries after their time to live', () => {
    const cache = createPromptCache({ timeToLiveMs: 1000 });
    cache.account({ modelId: SONNET, ...prompt(), startedAt: 0 });

    expect(cache.account({ modelId: 'other', ...prompt(), startedAt: 1 }).cacheReadInputTokens).toBe(0);
    const changed = { segments: [segment('tools', 1200), segment('system v2', 3000)], checkpoints: [1, 2] };
    expect(cache.account({ modelId: SONNET, ...changed, startedAt: 2 })).toMatchObject({
      cacheReadInputTokens: 1200,
      cacheWriteInputTokens: 3000,
    });
    expect(cache.account({ modelId: SONNET, ...prompt(), startedAt: 900 }).cacheReadInputTokens).toBe(4200);
    expect(cache.account({ modelId: SONNET, ...prompt(), startedAt: 1800 }).cacheReadInputTokens).toBe(4200);
    expect(cache.account({ modelId: SONNET, ...prompt(), startedAt: 5000 }).cacheReadInputTokens).toBe(0);
  });

  it('makes a write readable only once its call has produced its first token', () => {
    const cache = createPromptCache();
    cache.account({
      modelId: SONNET,
      ...prompt(),
      startedAt: 0,
      availableAt: ({ cacheWriteInputTokens }) => cacheWriteInputTokens / 10,
    });

    expect(cache.account({ modelId: SONNET, ...prompt(), startedAt: 100 }).cacheWriteInputTokens).toBe(4200);
    expect(cache.account({ modelId: SONNET, ...prompt(), startedAt: 420 }).cacheReadInputTokens).toBe(4200);
  });

  it('knows the documented minimums', () => {
    expect(minimumCacheTokens(SONNET)).toBe(1024);
    expect(minimumCacheTokens(HAIKU)).toBe(4096);
    expect(minimumCacheTokens('anthropic.claude-3-5-haiku-20241022-v1:0')).toBe(2048);
  });
});

describe('prompt cache lookback', () => {
  it('reads what an earlier turn of a tool loop wrote at a block boundary before its own checkpoint', () => {
    const cache = createPromptCache();
    const turn = [segment('tools', 1200), segment('system', 3000), segment('report', 1500)];
    cache.account({ modelId: SONNET, segments: turn, checkpoints: [1, 2, 3], startedAt: 0 });
    const next = [...turn, segment('tool use', 100), segment('tool result', 2000)];

    expect(cache.account({ modelId: SONNET, segments: next, checkpoints: [1, 2, 5], startedAt: 10 })).toEqual(
      {
        inputTokens: 0,
        cacheReadInputTokens: 5700,
        cacheWriteInputTokens: 2100,
      },
    );
  });
});
