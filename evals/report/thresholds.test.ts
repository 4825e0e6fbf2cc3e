import { describe, expect, it } from 'vitest';
import { fixtureMetrics } from './fixtures.ts';
import { checkThresholds, parseThresholds } from './thresholds.ts';

describe('parseThresholds', () => {
  it('parses numbers and percentages', () => {
    expect(
      parseThresholds([
        'classification.typeAccuracy=0.9',
        'rootCause.stageAccuracy=75%',
        'rootCause.whyDepthMean=4',
      ]),
    ).toEqual([
      { metric: 'classification.typeAccuracy', min: 0.9 },
      { metric: 'rootCause.stageAccuracy', min: 0.75 },
      { metric: 'rootCause.whyDepthMean', min: 4 },
    ]);
    expect(parseThresholds([])).toEqual([]);
  });

  it.each([
    'classification.typeAccuracy',
    'classification.typeAccuracy=',
    '=0.9',
    'a..b=1',
    'x=abc',
    'x=0.9%%',
    'x=1=2',
  ])('rejects %j naming the argument', (arg) => {
    expect(() => parseThresholds(['counts.ok=1', arg])).toThrow(`Invalid threshold "${arg}"`);
  });
});

describe('checkThresholds', () => {
  const metrics = fixtureMetrics();

  it('passes metrics at or above their minimum and fails the others', () => {
    const results = checkThresholds({
      metrics,
      thresholds: parseThresholds(['classification.typeAccuracy=60%', 'rootCause.stageAccuracy=0.6']),
    });
    expect(results).toEqual([
      { metric: 'classification.typeAccuracy', min: 0.6, actual: 0.6, passed: true },
      { metric: 'rootCause.stageAccuracy', min: 0.6, actual: 0.5, passed: false },
    ]);
  });

  it('fails a null metric', () => {
    expect(
      checkThresholds({ metrics, thresholds: [{ metric: 'classification.escalationPrecision', min: 0 }] }),
    ).toEqual([{ metric: 'classification.escalationPrecision', min: 0, actual: null, passed: false }]);
  });

  it('reads nested per-type and per-agent metrics', () => {
    const [result] = checkThresholds({
      metrics,
      thresholds: [{ metric: 'classification.perType.weld_defect.recall', min: 1 }],
    });
    expect(result?.passed).toBe(true);
  });

  it('throws naming an unknown metric path', () => {
    expect(() =>
      checkThresholds({ metrics, thresholds: [{ metric: 'classification.typoAccuracy', min: 0.5 }] }),
    ).toThrow('Unknown metric "classification.typoAccuracy"');
    expect(() => checkThresholds({ metrics, thresholds: [{ metric: 'classification', min: 0.5 }] })).toThrow(
      'Unknown metric "classification"',
    );
  });
});
