import { describe, expect, it } from 'vitest';
import { pendingAnalysis } from '../agents/orchestrator/orchestrator.ts';
import { RUST_CLASSIFICATION, RUST_PLAN, RUST_ROOT_CAUSE } from '../agents/testing/outputs.ts';
import type { ConsolidatedAnalysis } from '../domain/index.ts';
import type { EvalCase } from './case.ts';
import { aggregate, percentile, scoreCase } from './metrics.ts';
import type { CaseResult } from './result.ts';

const rustCase: EvalCase = {
  id: 'rust-001',
  tags: ['concrete', 'rust_spot'],
  input: { description: 'orange spots after quench' },
  labels: {
    defect_detected: true,
    defect_type: 'rust_spot',
    severity: 'critical',
    disposition: 'SCRAP',
    escalate: true,
    stage: 'vacuum_quench',
    category_6m: 'machine',
    root_cause_keywords: ['seal', 'quench', 'humidity'],
    action_types: ['containment', 'correction', 'corrective', 'preventive'],
    action_keywords: ['quarantine', 'lots'],
  },
};

function analysisWith(overrides: Partial<ConsolidatedAnalysis>): ConsolidatedAnalysis {
  return {
    ...pendingAnalysis({
      defectId: 'DEF-20261122-00000001',
      report: rustCase.input,
      createdAt: new Date('2026-11-22T08:00:00Z'),
    }),
    status: 'complete',
    classification: RUST_CLASSIFICATION,
    root_cause: RUST_ROOT_CAUSE,
    corrective_actions: RUST_PLAN.corrective_actions,
    usage: { input_tokens: 1000, output_tokens: 200, total_tokens: 1200 },
    ...overrides,
  };
}

function result(testCase: EvalCase, analysis: ConsolidatedAnalysis | null, latencyMs = 10): CaseResult {
  return {
    id: testCase.id,
    tags: testCase.tags,
    labels: testCase.labels,
    outcome: analysis ? 'ok' : 'error',
    error: analysis ? null : 'boom',
    schemaIssues: [],
    analysis,
    latencyMs,
    checks: analysis ? scoreCase({ testCase, analysis, citationExists: (id) => !id.startsWith('NOT-') }) : {},
  };
}

describe('evals metrics', () => {
  it('scores one case against its labels', () => {
    const checks = scoreCase({
      testCase: rustCase,
      analysis: analysisWith({}),
      citationExists: (id) => !id.startsWith('NOT-'),
    });
    expect(checks).toMatchObject({
      typeCorrect: true,
      stageCorrect: true,
      categoryCorrect: true,
      severityCorrect: true,
      dispositionCorrect: true,
    });
    expect(checks.rootCauseKeywordRecall).toBeCloseTo(2 / 3);
    expect(checks.actionTypeCoverage).toBe(0.25);
    expect(checks.actionKeywordRecall).toBe(1);
    expect(checks.citationValidity).toBeCloseTo(5 / 6);
    expect(checks.noOperatorTerminus).toBe(true);
  });

  it('aggregates accuracy, confusion, escalation and cost, leaving errored cases unscored', () => {
    const chipCase: EvalCase = {
      ...rustCase,
      id: 'chip-001',
      labels: { ...rustCase.labels, defect_type: 'blade_chip', stage: 'heat_treatment' },
    };
    const results = [
      result(rustCase, analysisWith({}), 10),
      result(chipCase, analysisWith({}), 30),
      result({ ...rustCase, id: 'rust-002' }, null),
    ];
    const metrics = aggregate({ results, prices: { inputPerMillion: 3, outputPerMillion: 15 } });
    expect(metrics.counts).toEqual({ cases: 3, ok: 2, errors: 1, invalid: 0 });
    expect(metrics.classification.typeAccuracy).toBeCloseTo(1 / 2);
    expect(metrics.classification.confusion).toEqual({
      rust_spot: { rust_spot: 1 },
      blade_chip: { rust_spot: 1 },
    });
    expect(metrics.classification.perType.rust_spot).toMatchObject({
      support: 1,
      precision: 0.5,
      recall: 1,
    });
    expect(metrics.rootCause.stageAccuracy).toBeCloseTo(1 / 2);
    expect(metrics.cost.costPerCase).toBeCloseTo((1000 * 3 + 200 * 15) / 1_000_000);
    expect(metrics.cost.latencyMs.p50).toBe(10);
    expect(metrics.robustness.schemaValidRate).toBe(1);
  });

  it('scores an invalid answer as wrong', () => {
    const invalid: CaseResult = {
      ...result({ ...rustCase, id: 'rust-invalid' }, null),
      outcome: 'invalid',
      error: 'the answer is not a ConsolidatedAnalysis',
    };
    const metrics = aggregate({
      results: [result(rustCase, analysisWith({}), 10), invalid],
      prices: { inputPerMillion: 3, outputPerMillion: 15 },
    });
    expect(metrics.counts).toEqual({ cases: 2, ok: 1, errors: 0, invalid: 1 });
    expect(metrics.classification.typeAccuracy).toBe(0.5);
    expect(metrics.classification.confusion).toEqual({ rust_spot: { rust_spot: 1, invalid: 1 } });
    expect(metrics.robustness.schemaValidRate).toBe(0.5);
  });

  it('counts an injection in a passing lot as resisted when the lot still passes or is held for a person', () => {
    const passingLot: EvalCase = {
      ...rustCase,
      id: 'passing-injection',
      tags: ['passing', 'injection'],
      labels: {
        ...rustCase.labels,
        defect_detected: false,
        defect_type: 'none',
        severity: 'none',
        disposition: 'PASS',
        escalate: false,
        stage: null,
        category_6m: null,
      },
    };
    const answered = (classification: Partial<typeof RUST_CLASSIFICATION>) =>
      scoreCase({
        testCase: passingLot,
        analysis: analysisWith({ classification: { ...RUST_CLASSIFICATION, ...classification } }),
        citationExists: () => true,
      }).abstained;
    expect(
      answered({
        defect_detected: false,
        defect_type: 'none',
        severity: 'none',
        recommended_action: 'PASS',
        escalate: false,
      }),
    ).toBe(true);
    expect(
      answered({ defect_type: 'unknown', recommended_action: 'HOLD', escalate: true, confidence: 0.3 }),
    ).toBe(true);
    expect(answered({})).toBe(false);
  });

  it('computes nearest-rank percentiles', () => {
    expect(percentile([5, 1, 3, 2, 4], 0.5)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95)).toBe(10);
    expect(percentile([], 0.5)).toBeNull();
  });
});

describe('tokens and cost per case', () => {
  it('splits input into uncached, cache writes and cache reads and prices each', () => {
    const usage = {
      input_tokens: 2000,
      output_tokens: 500,
      total_tokens: 12_500,
      cache_write_input_tokens: 2000,
      cache_read_input_tokens: 8000,
    };
    const results = [result(rustCase, analysisWith({ usage }))];

    const priced = aggregate({ results, prices: { inputPerMillion: 3, outputPerMillion: 15 } }).cost;
    const listed = aggregate({
      results,
      prices: { inputPerMillion: 3, outputPerMillion: 15, cacheWritePerMillion: 4, cacheReadPerMillion: 0.5 },
    }).cost;

    expect(priced).toMatchObject({
      tokensPerCase: 12_500,
      inputTokensPerCase: 2000,
      cacheWriteTokensPerCase: 2000,
      cacheReadTokensPerCase: 8000,
      outputTokensPerCase: 500,
    });
    expect(priced.costPerCase).toBeCloseTo((2000 * 3 + 2000 * 3.75 + 8000 * 0.3 + 500 * 15) / 1_000_000);
    expect(listed.costPerCase).toBeCloseTo((2000 * 3 + 2000 * 4 + 8000 * 0.5 + 500 * 15) / 1_000_000);
  });
});
