import { describe, expect, it } from 'vitest';
import { readBaseTrainingExamples } from '../../agents/learning/index.ts';
import { createInProcessRetrainer } from '../../agents/learning/retrain.ts';
import { formatReplay, readStream, runReplay } from './replay.ts';

const FIXTURE = 'evals/replay/testing/stream.jsonl';

describe('replay eval', () => {
  it('reads the stream in time order', async () => {
    const cases = await readStream(FIXTURE);
    expect(cases.map((testCase) => testCase.id)).toEqual([
      'fixture-001',
      'fixture-002',
      'fixture-003',
      'fixture-004',
    ]);
  });

  it('replays without and with the loop and scores the later half', async () => {
    const cases = await readStream(FIXTURE);
    const result = await runReplay({
      file: FIXTURE,
      cases,
      split: 0.5,
      baseExamples: await readBaseTrainingExamples({ corpusDir: 'knowledge-base/corpus' }),
      retrainer: createInProcessRetrainer,
    });
    expect(result.stream).toMatchObject({ cases: 4, scored: 2, firstScored: '2026-01-06' });
    expect(result.without.cases.filter((item) => item.scored).map((item) => item.id)).toEqual([
      'fixture-003',
      'fixture-004',
    ]);
    expect(result.without.accuracy.type.cases).toBe(2);
    // Every report is reviewed and learned; the passing one makes an example but no record.
    expect(result.with.cases[0]?.review).toBeDefined();
    expect(result.with.loop).toMatchObject({ indexedRecords: 3, learnedExamples: 4 });
    expect(result.with.loop?.retrainings).toBeGreaterThanOrEqual(1);
    expect(result.lift.type).toBe(
      Math.round(((result.with.accuracy.type.rate ?? 0) - (result.without.accuracy.type.rate ?? 0)) * 1000) /
        10,
    );
    // A corrected look-alike of the scored reports is learned: they follow it.
    expect(result.lift.type).toBeGreaterThan(0);
    expect(formatReplay(result)).toMatch(/type\s+\S+ % \(\d\/2\)\s+\S+ % \(\d\/2\)\s+\+\d+\.\d pts/);
  }, 120_000);
});
