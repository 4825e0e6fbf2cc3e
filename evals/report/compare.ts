import type { CaseResult, RunResult } from '../result.ts';
import { judgeCase } from './case-verdict.ts';
import type { MetricDirection } from './metric-paths.ts';
import { flattenMetrics, formatMetricDelta, formatMetricValue, metricDirection } from './metric-paths.ts';

/** Changes smaller than this are treated as no change. */
const EPSILON = 0.0005;

/**
 * What a metric did between two runs. `changed` is used where better or worse cannot be told:
 * a metric that describes the data set (case count, per-type support), or one that became or stopped being null.
 */
export type MetricStatus = 'improved' | 'regressed' | 'unchanged' | 'changed';

/** One metric in both runs. */
export interface MetricDelta {
  /** Dotted path such as "classification.typeAccuracy". */
  metric: string;
  baseline: number | null;
  current: number | null;
  /** current - baseline; null when either is null. */
  delta: number | null;
  direction: MetricDirection;
  status: MetricStatus;
}

/** A case whose type, stage or outcome flipped between the runs. */
export interface CaseChange {
  id: string;
  /** `regressed` when anything got worse, even if something else got better. */
  status: 'improved' | 'regressed';
  /** What flipped, e.g. "type: correct -> wrong (expected rust_spot, got blade_chip)". */
  changes: string[];
}

/** The comparison of a run with a baseline run. */
export interface Comparison {
  baseline: { runId: string; target: string; model: string; startedAt: string };
  current: { runId: string; target: string; model: string; startedAt: string };
  /** Currency of the current run's price table, for formatting cost deltas. */
  currency: string;
  /** Every numeric metric of either run (the confusion matrix excluded), in Metrics order. */
  metrics: MetricDelta[];
  /** Cases present in both runs whose type, stage or outcome flipped, regressions first. */
  cases: CaseChange[];
  onlyInBaseline: string[];
  onlyInCurrent: string[];
}

function metricStatus(
  direction: MetricDirection,
  baseline: number | null,
  current: number | null,
): { delta: number | null; status: MetricStatus } {
  if (baseline === null || current === null) {
    return { delta: null, status: baseline === current ? 'unchanged' : 'changed' };
  }
  const delta = current - baseline;
  if (Math.abs(delta) < EPSILON) return { delta, status: 'unchanged' };
  if (direction === 'neutral') return { delta, status: 'changed' };
  const better = direction === 'higher' ? delta > 0 : delta < 0;
  return { delta, status: better ? 'improved' : 'regressed' };
}

function describe(result: CaseResult): string {
  const verdict = judgeCase(result);
  return `expected ${verdict.expectedType}/${verdict.expectedStage ?? '-'}, got ${verdict.gotType ?? '-'}/${verdict.gotStage ?? '-'}`;
}

function compareCase(baseline: CaseResult, current: CaseResult): CaseChange | null {
  const before = judgeCase(baseline);
  const after = judgeCase(current);
  const worse: string[] = [];
  const better: string[] = [];
  if (baseline.outcome === 'ok' && current.outcome !== 'ok') worse.push(`outcome: ok -> ${current.outcome}`);
  if (baseline.outcome !== 'ok' && current.outcome === 'ok')
    better.push(`outcome: ${baseline.outcome} -> ok`);
  if (before.typeCorrect && !after.typeCorrect) worse.push('type: correct -> wrong');
  if (!before.typeCorrect && after.typeCorrect) better.push('type: wrong -> correct');
  if (before.stageCorrect === true && after.stageCorrect === false) worse.push('stage: correct -> wrong');
  if (before.stageCorrect === false && after.stageCorrect === true) better.push('stage: wrong -> correct');
  if (worse.length === 0 && better.length === 0) return null;
  return {
    id: current.id,
    status: worse.length > 0 ? 'regressed' : 'improved',
    changes: [...worse, ...better, `now ${describe(current)}`],
  };
}

/**
 * Compares a run with a baseline: a delta for every numeric metric, flagged improved, regressed,
 * unchanged (|delta| < 0.0005) or changed, and the cases present in both whose type, stage or
 * outcome flipped. Higher is better except for latency, tokens, cost and the error and invalid counts.
 */
export function compareRuns({ baseline, current }: { baseline: RunResult; current: RunResult }): Comparison {
  const before = flattenMetrics(baseline.metrics);
  const after = flattenMetrics(current.metrics);
  const paths = [...new Set([...before.keys(), ...after.keys()])];
  const metrics = paths.map((metric): MetricDelta => {
    const direction = metricDirection(metric);
    const baselineValue = before.get(metric) ?? null;
    const currentValue = after.get(metric) ?? null;
    return {
      metric,
      baseline: baselineValue,
      current: currentValue,
      direction,
      ...metricStatus(direction, baselineValue, currentValue),
    };
  });

  const baselineCases = new Map(baseline.cases.map((result) => [result.id, result]));
  const currentIds = new Set(current.cases.map((result) => result.id));
  const cases: CaseChange[] = [];
  for (const result of current.cases) {
    const previous = baselineCases.get(result.id);
    const change = previous === undefined ? null : compareCase(previous, result);
    if (change !== null) cases.push(change);
  }
  cases.sort((a, b) => (a.status === b.status ? 0 : a.status === 'regressed' ? -1 : 1));

  const summary = (run: RunResult): Comparison['current'] => ({
    runId: run.runId,
    target: run.target,
    model: run.model,
    startedAt: run.startedAt,
  });
  return {
    baseline: summary(baseline),
    current: summary(current),
    currency: current.priceTable.currency,
    metrics,
    cases,
    onlyInBaseline: baseline.cases.filter((result) => !currentIds.has(result.id)).map((result) => result.id),
    onlyInCurrent: current.cases.filter((result) => !baselineCases.has(result.id)).map((result) => result.id),
  };
}

/**
 * Formats a comparison for the terminal: one line per improved, regressed or changed metric
 * with a signed delta, then the flipped cases and the cases in only one run.
 */
export function formatComparison(comparison: Comparison): string {
  const { baseline, current, currency } = comparison;
  const count = (status: MetricStatus): number =>
    comparison.metrics.filter((m) => m.status === status).length;
  const lines = [
    `Baseline ${baseline.runId} (${baseline.target}, ${baseline.model}) -> current ${current.runId} (${current.target}, ${current.model})`,
    `Metrics: ${count('improved')} improved, ${count('regressed')} regressed, ${count('changed')} changed, ${count('unchanged')} unchanged`,
  ];
  const width = Math.max(0, ...comparison.metrics.map((m) => m.metric.length));
  for (const status of ['regressed', 'improved', 'changed'] as const) {
    for (const m of comparison.metrics.filter((entry) => entry.status === status)) {
      const values = `${formatMetricValue(m.metric, m.baseline, currency)} -> ${formatMetricValue(m.metric, m.current, currency)}`;
      const delta = m.delta === null ? '' : ` (${formatMetricDelta(m.metric, m.delta, currency)})`;
      lines.push(`  ${status.padEnd(9)} ${m.metric.padEnd(width)}  ${values}${delta}`);
    }
  }
  const regressed = comparison.cases.filter((change) => change.status === 'regressed').length;
  lines.push(`Cases: ${regressed} regressed, ${comparison.cases.length - regressed} improved`);
  for (const change of comparison.cases) {
    lines.push(`  ${change.status === 'regressed' ? '-' : '+'} ${change.id}: ${change.changes.join('; ')}`);
  }
  if (comparison.onlyInBaseline.length > 0)
    lines.push(`Only in baseline: ${comparison.onlyInBaseline.join(', ')}`);
  if (comparison.onlyInCurrent.length > 0)
    lines.push(`Only in current: ${comparison.onlyInCurrent.join(', ')}`);
  return lines.join('\n');
}
