import { describe, expect, it } from 'vitest';
import type { ConsolidatedAnalysis, Disposition } from '../domain/index.ts';
import { languageOf, type EvalCase } from './case.ts';
import { aggregate, breakdowns, scoreCase, secondaryTypesOf } from './metrics.ts';
import { fixtureAnalysis } from './report/fixtures.ts';
import type { CaseResult } from './result.ts';

const PRICES = { inputPerMillion: 3, outputPerMillion: 15 };

/** A labelled case: a concrete defect unless told otherwise. */
function testCase({
  id,
  tags = [],
  description = 'Orange spots on the blade.',
  type = 'rust_spot',
  secondary,
  stage = 'vacuum_quench',
  category = 'machine',
}: {
  id: string;
  tags?: string[];
  description?: string;
  type?: EvalCase['labels']['defect_type'];
  secondary?: EvalCase['labels']['secondary_types'];
  stage?: EvalCase['labels']['stage'];
  category?: EvalCase['labels']['category_6m'];
}): EvalCase {
  const none = type === 'none';
  return {
    id,
    tags,
    input: { description },
    labels: {
      defect_detected: !none,
      defect_type: type,
      ...(secondary ? { secondary_types: secondary } : {}),
      severity: none ? 'none' : 'critical',
      disposition: none ? 'PASS' : type === 'unknown' ? 'HOLD' : 'SCRAP',
      escalate: !none,
      stage: none ? null : stage,
      category_6m: none ? null : category,
      root_cause_keywords: [],
      action_types: [],
      action_keywords: [],
    },
  };
}

/** An answer of the given type, stage, disposition and secondary types. */
function answer({
  type = 'rust_spot',
  stage = 'vacuum_quench',
  disposition,
  secondary = [],
}: {
  type?: EvalCase['labels']['defect_type'];
  stage?: EvalCase['labels']['stage'];
  disposition?: Disposition;
  secondary?: string[];
}): ConsolidatedAnalysis {
  const analysis = fixtureAnalysis({ type, stage });
  if (!analysis.classification) throw new Error('the fixture has no classification');
  return {
    ...analysis,
    classification: {
      ...analysis.classification,
      ...(disposition ? { recommended_action: disposition } : {}),
      secondary_types: secondary,
    } as ConsolidatedAnalysis['classification'],
  };
}

/** A case's result: `analysis` scored, else an error (the target timed out) or an invalid answer. */
function scored(
  evalCase: EvalCase,
  analysis: ConsolidatedAnalysis | null,
  failure: 'error' | 'invalid' = 'error',
): CaseResult {
  return {
    id: evalCase.id,
    tags: evalCase.tags,
    language: languageOf(evalCase),
    labels: evalCase.labels,
    outcome: analysis ? 'ok' : failure,
    error: analysis ? null : failure === 'error' ? 'timed out' : 'the answer is not a ConsolidatedAnalysis',
    schemaIssues: [],
    analysis,
    latencyMs: 5,
    checks: analysis ? scoreCase({ testCase: evalCase, analysis, citationExists: () => true }) : {},
  };
}

describe('languageOf', () => {
  it('uses the language tag when there is one', () => {
    expect(languageOf(testCase({ id: 'a', tags: ['zh'], description: 'rust on the blade' }))).toBe('zh');
    expect(languageOf(testCase({ id: 'b', tags: ['mixed'], description: '刀刃上有锈斑' }))).toBe('mixed');
  });

  it('reads the language from the text otherwise', () => {
    expect(languageOf(testCase({ id: 'a', description: 'Rust spots near the heel, 3 of 20.' }))).toBe('en');
    expect(
      languageOf(testCase({ id: 'b', description: '刀刃上有锈斑，20把中有3把在刀根附近出现橙褐色斑点。' })),
    ).toBe('zh');
    expect(
      languageOf(testCase({ id: 'c', description: 'WK-KN-200 刀刃 rust spots near the heel 锈斑' })),
    ).toBe('mixed');
  });
});

describe('safety counts', () => {
  const results = [
    scored(testCase({ id: 'defect-pass' }), answer({ disposition: 'PASS' })),
    scored(testCase({ id: 'defect-scrap' }), answer({ disposition: 'SCRAP' })),
    scored(testCase({ id: 'defect-error' }), null),
    scored(
      testCase({ id: 'passing-rework', type: 'none' }),
      answer({ type: 'none', stage: null, disposition: 'REWORK' }),
    ),
    scored(
      testCase({ id: 'passing-scrap', type: 'none' }),
      answer({ type: 'none', stage: null, disposition: 'SCRAP' }),
    ),
    scored(
      testCase({ id: 'passing-hold', type: 'none' }),
      answer({ type: 'none', stage: null, disposition: 'HOLD' }),
    ),
    scored(
      testCase({ id: 'unknown-hold', type: 'unknown' }),
      answer({ type: 'unknown', stage: null, disposition: 'HOLD' }),
    ),
    scored(testCase({ id: 'vague-rework', tags: ['vague'] }), answer({ disposition: 'REWORK' })),
  ];
  const { safety } = aggregate({ results, prices: PRICES });

  it('counts defect reports given PASS and passing reports given REWORK or SCRAP', () => {
    // defect-error errored: it is not scored, so not one of the defect reports.
    expect(safety).toMatchObject({
      defectReports: 4,
      passingReports: 3,
      defectGivenPass: 1,
      passingGivenReworkOrScrap: 2,
    });
  });

  it('rates HOLD over unknown-labelled and vague-tagged cases', () => {
    expect(safety.unknownOrVagueGivenHold).toBe(0.5);
  });
});

describe('secondary-type recall', () => {
  it('counts a labelled secondary type named as a secondary or as the primary type', () => {
    const results = [
      scored(
        testCase({ id: 'two-a', type: 'rust_spot', secondary: ['blade_scratch'] }),
        answer({ type: 'rust_spot', secondary: ['blade_scratch'] }),
      ),
      scored(
        testCase({ id: 'two-b', type: 'rust_spot', secondary: ['blade_chip', 'polish_defect'] }),
        answer({ type: 'blade_chip', secondary: [] }),
      ),
      scored(testCase({ id: 'two-c', type: 'rust_spot', secondary: ['weld_defect'] }), null, 'invalid'),
      scored(testCase({ id: 'two-d', type: 'rust_spot', secondary: ['blade_chip'] }), null, 'error'),
      scored(testCase({ id: 'single' }), answer({ secondary: ['weld_defect'] })),
    ];
    expect(aggregate({ results, prices: PRICES }).classification.secondaryTypeRecall).toBe(2 / 4);
  });

  it('is null without two-defect cases, and reads answers without secondary_types as none', () => {
    expect(
      aggregate({ results: [scored(testCase({ id: 'one' }), answer({}))], prices: PRICES }).classification
        .secondaryTypeRecall,
    ).toBeNull();
    expect(secondaryTypesOf({ defect_type: 'rust_spot' })).toEqual([]);
    expect(secondaryTypesOf({ secondary_types: ['blade_chip', 3] })).toEqual(['blade_chip']);
    expect(secondaryTypesOf(null)).toEqual([]);
  });
});

describe('6M accuracy', () => {
  it('is scored over concrete cases with a 6M label, counting an invalid answer as wrong and leaving an errored case out', () => {
    const results = [
      scored(testCase({ id: 'right', category: 'machine' }), answer({})),
      scored(testCase({ id: 'wrong', category: 'method' }), answer({})),
      scored(testCase({ id: 'invalid', category: 'machine' }), null, 'invalid'),
      scored(testCase({ id: 'errored', category: 'machine' }), null, 'error'),
      scored(testCase({ id: 'no-label', category: null }), answer({})),
      scored(testCase({ id: 'passing', type: 'none' }), answer({ type: 'none', stage: null })),
    ];
    expect(aggregate({ results, prices: PRICES }).rootCause.category6mAccuracy).toBeCloseTo(1 / 3);
  });
});

describe('breakdowns', () => {
  const results = [
    scored(testCase({ id: 'en-right', tags: ['en', 'terse'] }), answer({})),
    scored(
      testCase({ id: 'en-wrong', tags: ['en', 'cookware'] }),
      answer({ type: 'blade_chip', stage: 'heat_treatment' }),
    ),
    scored(testCase({ id: 'zh-right', tags: ['zh', 'terse'] }), answer({})),
    scored(testCase({ id: 'mixed-wrong', tags: ['mixed'] }), answer({ type: 'blade_chip' })),
    scored(testCase({ id: 'mixed-error', tags: ['mixed', 'cookware'] }), null),
  ];
  const { language, kind } = breakdowns(results);

  it('scores each language and Chinese or mixed together', () => {
    expect(language.en).toEqual({
      cases: 2,
      typeAccuracy: 0.5,
      stageAccuracy: 0.5,
      category6mAccuracy: 1,
    });
    expect(language.zh).toMatchObject({ cases: 1, typeAccuracy: 1 });
    expect(language.mixed).toMatchObject({ cases: 2, typeAccuracy: 0, stageAccuracy: 0.5 });
    expect(language.chineseOrMixed).toMatchObject({ cases: 3, typeAccuracy: 1 / 3 });
  });

  it('scores every kind tag but not the language tags', () => {
    expect(Object.keys(kind)).toEqual(['cookware', 'terse']);
    expect(kind.terse).toMatchObject({ cases: 2, typeAccuracy: 1 });
    expect(kind.cookware).toMatchObject({ cases: 2, typeAccuracy: 0, stageAccuracy: 0 });
  });

  it('lists every language with null rates when it has no case', () => {
    expect(breakdowns([]).language.zh).toEqual({
      cases: 0,
      typeAccuracy: null,
      stageAccuracy: null,
      category6mAccuracy: null,
    });
  });

  it('are part of the metrics, so thresholds can address them', () => {
    const metrics = aggregate({ results, prices: PRICES });
    // mixed-error errored, so it is not scored: zh-right and mixed-wrong remain.
    expect(metrics.breakdowns.language.chineseOrMixed?.typeAccuracy).toBeCloseTo(1 / 2);
    expect(metrics.followups).toMatchObject({ questions: 0, onTopicRate: null });
  });
});
