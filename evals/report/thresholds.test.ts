import { describe, expect, it } from 'vitest';
import { fixtureMetrics } from './fixtures.ts';
import { checkSetThresholds, checkThresholds, defaultSetName, parseThresholds } from './thresholds.ts';

describe('parseThresholds', () => {
  it('parses numbers and percentages in the old form (no set, a minimum)', () => {
    expect(
      parseThresholds([
        'classification.typeAccuracy=0.9',
        'rootCause.stageAccuracy=75%',
        'rootCause.whyDepthMean=4',
      ]),
    ).toEqual([
      { set: null, metric: 'classification.typeAccuracy', comparison: 'min', value: 0.9 },
      { set: null, metric: 'rootCause.stageAccuracy', comparison: 'min', value: 0.75 },
      { set: null, metric: 'rootCause.whyDepthMean', comparison: 'min', value: 4 },
    ]);
    expect(parseThresholds([])).toEqual([]);
  });

  it('reads a set prefix and the >= and <= operators', () => {
    expect(
      parseThresholds([
        'heldout:classification.typeAccuracy=0.85',
        'heldout:safety.defectGivenPass<=0',
        'development:followups.onTopicRate>=80%',
        'held-out:breakdowns.language.chineseOrMixed.typeAccuracy=0.8',
      ]),
    ).toEqual([
      { set: 'heldout', metric: 'classification.typeAccuracy', comparison: 'min', value: 0.85 },
      { set: 'heldout', metric: 'safety.defectGivenPass', comparison: 'max', value: 0 },
      { set: 'development', metric: 'followups.onTopicRate', comparison: 'min', value: 0.8 },
      {
        set: 'held-out',
        metric: 'breakdowns.language.chineseOrMixed.typeAccuracy',
        comparison: 'min',
        value: 0.8,
      },
    ]);
  });

  it('reads "metric=value" as a maximum for --max', () => {
    expect(parseThresholds(['heldout:safety.passingGivenReworkOrScrap=0'], 'max')).toEqual([
      { set: 'heldout', metric: 'safety.passingGivenReworkOrScrap', comparison: 'max', value: 0 },
    ]);
  });

  it.each([
    'classification.typeAccuracy',
    'classification.typeAccuracy=',
    '=0.9',
    'a..b=1',
    'x=abc',
    'x=0.9%%',
    'x=1=2',
    'held out:x=1',
    ':x=1',
    'x<0.5',
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
    expect(results.map(({ metric, actual, passed }) => ({ metric, actual, passed }))).toEqual([
      { metric: 'classification.typeAccuracy', actual: 0.6, passed: true },
      { metric: 'rootCause.stageAccuracy', actual: 0.5, passed: false },
    ]);
  });

  it('passes a maximum at or below its value', () => {
    const results = checkThresholds({
      metrics: fixtureMetrics({ safety: { defectGivenPass: 2 } }),
      thresholds: parseThresholds([
        'safety.defectGivenPass<=2',
        'safety.defectGivenPass<=1',
        'safety.passingGivenReworkOrScrap<=0',
      ]),
    });
    expect(results.map((result) => result.passed)).toEqual([true, false, true]);
  });

  it('fails a null metric', () => {
    expect(
      checkThresholds({
        metrics,
        thresholds: [
          { set: null, metric: 'classification.escalationPrecision', comparison: 'min', value: 0 },
        ],
      }),
    ).toEqual([
      {
        set: null,
        metric: 'classification.escalationPrecision',
        comparison: 'min',
        value: 0,
        actual: null,
        passed: false,
      },
    ]);
  });

  it('reads nested per-type, breakdown and follow-up metrics', () => {
    const results = checkThresholds({
      metrics: fixtureMetrics({
        followups: {
          questions: 4,
          answered: 4,
          onTopicRate: 0.75,
          cannedAnswers: 1,
          perTopic: {},
          perLanguage: {},
        },
      }),
      thresholds: parseThresholds([
        'classification.perType.weld_defect.recall=1',
        'breakdowns.language.chineseOrMixed.typeAccuracy=1',
        'followups.onTopicRate=0.8',
      ]),
    });
    expect(results.map((result) => result.passed)).toEqual([true, true, false]);
  });

  it('throws naming an unknown metric path', () => {
    expect(() =>
      checkThresholds({ metrics, thresholds: parseThresholds(['classification.typoAccuracy=0.5']) }),
    ).toThrow('Unknown metric "classification.typoAccuracy"');
    expect(() => checkThresholds({ metrics, thresholds: parseThresholds(['classification=0.5']) })).toThrow(
      'Unknown metric "classification"',
    );
  });
});

describe('checkSetThresholds', () => {
  const metricsBySet = new Map([
    ['held-out', fixtureMetrics({ classification: { typeAccuracy: 0.7 } })],
    ['development', fixtureMetrics({ classification: { typeAccuracy: 0.95 } })],
  ]);

  it('checks each threshold against the set it names; "heldout" and "held-out" are the same set', () => {
    const results = checkSetThresholds({
      metricsBySet,
      thresholds: parseThresholds([
        'heldout:classification.typeAccuracy=0.85',
        'development:classification.typeAccuracy=0.85',
        'held-out:safety.defectGivenPass<=0',
      ]),
    });
    expect(results.map(({ set, actual, passed }) => ({ set, actual, passed }))).toEqual([
      { set: 'held-out', actual: 0.7, passed: false },
      { set: 'development', actual: 0.95, passed: true },
      { set: 'held-out', actual: 0, passed: true },
    ]);
  });

  it('addresses development with no set named, or the only set of the run', () => {
    expect(defaultSetName(['held-out', 'development'])).toBe('development');
    expect(defaultSetName(['cases'])).toBe('cases');
    const [result] = checkSetThresholds({
      metricsBySet,
      thresholds: parseThresholds(['classification.typeAccuracy=0.9']),
    });
    expect(result).toMatchObject({ set: 'development', actual: 0.95, passed: true });
  });

  it('fails a threshold on a set that did not run', () => {
    const [result] = checkSetThresholds({
      metricsBySet: new Map([['development', fixtureMetrics()]]),
      thresholds: parseThresholds(['heldout:classification.typeAccuracy=0.5', 'x.y=1']).slice(0, 1),
    });
    expect(result).toMatchObject({ set: 'heldout', actual: null, passed: false });
  });
});
