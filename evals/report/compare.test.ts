import { describe, expect, it } from 'vitest';
import { compareRuns, formatComparison } from './compare.ts';
import { fixtureCase, fixtureMetrics, fixtureRun } from './fixtures.ts';

const baselineCases = fixtureRun().cases.map((result) => {
  if (result.id === 'rust-001') {
    // the baseline got the type wrong: the current run improves it
    return fixtureCase({
      id: 'rust-001',
      expected: { type: 'rust_spot', stage: 'vacuum_quench' },
      got: { type: 'heat_treatment_defect', stage: 'vacuum_quench' },
    });
  }
  if (result.id === 'weld-005') {
    // the baseline got the stage right: the current run regresses it
    return fixtureCase({
      id: 'weld-005',
      expected: { type: 'weld_defect', stage: 'bolster_welding' },
      got: { type: 'weld_defect', stage: 'bolster_welding' },
    });
  }
  if (result.id === 'none-004') {
    return fixtureCase({
      id: 'gone-006',
      expected: { type: 'none', stage: null },
      got: { type: 'none', stage: null },
    });
  }
  return result;
});

const baseline = fixtureRun({
  runId: 'run-baseline',
  cases: baselineCases,
  metrics: fixtureMetrics({
    counts: { errors: 0, ok: 5 },
    classification: { typeAccuracy: 0.8, severityAccuracy: 0.9003, escalationRecall: null },
    cost: { latencyMs: { p50: 1500, p95: 6000 } },
  }),
});
const current = fixtureRun();
const comparison = compareRuns({ baseline, current });
const metric = (path: string) => comparison.metrics.find((entry) => entry.metric === path);

describe('compareRuns', () => {
  it('flattens every numeric metric but the confusion matrix', () => {
    const paths = comparison.metrics.map((entry) => entry.metric);
    expect(paths).toContain('classification.perType.blade_chip.recall');
    expect(paths).toContain('cost.perAgentLatencyMs.root_cause.p95');
    expect(paths).toContain('rootCause.whyDepthMean');
    expect(paths.some((path) => path.includes('confusion'))).toBe(false);
  });

  it('flags a lower higher-is-better metric as regressed', () => {
    expect(metric('classification.typeAccuracy')).toMatchObject({
      baseline: 0.8,
      current: 0.6,
      status: 'regressed',
      direction: 'higher',
    });
    expect(metric('classification.typeAccuracy')?.delta).toBeCloseTo(-0.2);
  });

  it('flags a lower latency as improved and more errors as regressed', () => {
    expect(metric('cost.latencyMs.p95')).toMatchObject({
      delta: -1000,
      status: 'improved',
      direction: 'lower',
    });
    expect(metric('counts.errors')).toMatchObject({ delta: 1, status: 'regressed' });
    expect(metric('counts.ok')).toMatchObject({ delta: -1, status: 'regressed' });
  });

  it('treats tiny deltas as unchanged and null transitions as changed', () => {
    expect(metric('classification.severityAccuracy')?.status).toBe('unchanged');
    expect(metric('cost.tokensPerCase')).toMatchObject({ delta: 0, status: 'unchanged' });
    expect(metric('classification.escalationRecall')).toMatchObject({
      baseline: null,
      delta: null,
      status: 'changed',
    });
  });

  it('finds the regressed and improved cases present in both runs', () => {
    expect(comparison.cases.map((change) => [change.id, change.status])).toEqual([
      ['weld-005', 'regressed'],
      ['rust-001', 'improved'],
    ]);
    expect(comparison.cases[0]?.changes[0]).toBe('stage: correct -> wrong');
    expect(comparison.onlyInBaseline).toEqual(['gone-006']);
    expect(comparison.onlyInCurrent).toEqual(['none-004']);
  });

  it('counts ok -> error as a regression', () => {
    const ok = fixtureCase({
      id: 'x',
      expected: { type: 'rust_spot', stage: null },
      got: { type: 'blade_chip', stage: null },
    });
    const failed = fixtureCase({
      id: 'x',
      expected: { type: 'rust_spot', stage: null },
      got: null,
      outcome: 'error',
      error: 'boom',
    });
    const result = compareRuns({
      baseline: fixtureRun({ cases: [ok] }),
      current: fixtureRun({ cases: [failed] }),
    });
    expect(result.cases).toEqual([
      {
        id: 'x',
        status: 'regressed',
        changes: ['outcome: ok -> error', 'now expected rust_spot/-, got -/-'],
      },
    ]);
  });
});

describe('formatComparison', () => {
  const text = formatComparison(comparison);

  it('prints signed deltas for changed metrics only', () => {
    expect(text).toContain('run-baseline');
    expect(text).toMatch(/regressed\s+classification\.typeAccuracy\s+80\.0% -> 60\.0% \(-20\.0 pp\)/);
    expect(text).toMatch(/improved\s+cost\.latencyMs\.p95\s+6000 ms -> 5000 ms \(-1000 ms\)/);
    expect(text).toMatch(/regressed\s+counts\.errors\s+0 -> 1 \(\+1\)/);
    expect(text).not.toMatch(/classification\.severityAccuracy/);
  });

  it('prints the flipped cases with + and -', () => {
    expect(text).toContain('Cases: 1 regressed, 1 improved');
    expect(text).toContain('  - weld-005: stage: correct -> wrong');
    expect(text).toContain('  + rust-001: type: wrong -> correct');
    expect(text).toContain('Only in baseline: gone-006');
  });
});
