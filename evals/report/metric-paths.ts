import type { Metrics } from '../result.ts';
import { formatCost, formatMs, formatNumber, formatRate, formatTokens } from './format.ts';

/** Which way a metric should move: up, down, or neither (a property of the data set, not a score). */
export type MetricDirection = 'higher' | 'lower' | 'neutral';

/** How a metric's value is read and formatted. */
export type MetricKind = 'rate' | 'ms' | 'tokens' | 'cost' | 'count' | 'number';

/** Paths left out of the flattened metrics: the confusion matrix is a table, not a score. */
const EXCLUDED_PREFIXES = ['classification.confusion'];

/**
 * Flattens every numeric metric of a run into dotted paths such as "classification.typeAccuracy"
 * or "cost.perAgentLatencyMs.classifier.p95", in the order of the Metrics object.
 * The confusion matrix is left out.
 */
export function flattenMetrics(metrics: Metrics): Map<string, number | null> {
  const flat = new Map<string, number | null>();
  const visit = (value: unknown, path: string): void => {
    if (EXCLUDED_PREFIXES.includes(path)) return;
    if (value === null || typeof value === 'number') {
      flat.set(path, value);
      return;
    }
    if (typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) visit(child, path === '' ? key : `${path}.${key}`);
    }
  };
  visit(metrics, '');
  return flat;
}

/** Path endings of counts that describe the data set (cases in a slice, questions asked). */
const DESCRIPTIVE_COUNTS = ['.cases', '.questions', 'safety.defectReports', 'safety.passingReports'];
/** Counts of things that must not happen (0 is the target). */
const LOWER_IS_BETTER = [
  'safety.defectGivenPass',
  'safety.passingGivenReworkOrScrap',
  'followups.cannedAnswers',
];

/**
 * Which way a metric should move. Latency, token and cost metrics and the error and invalid counts
 * are better lower, and so are the safety counts (defect reports given PASS, passing reports given
 * REWORK or SCRAP) and canned follow-up answers; the case count, per-type support and the case and
 * question counts of slices describe the data set; the rest are better higher.
 */
export function metricDirection(path: string): MetricDirection {
  if (
    path === 'counts.cases' ||
    path.endsWith('.support') ||
    DESCRIPTIVE_COUNTS.some((end) => path.endsWith(end))
  )
    return 'neutral';
  if (path === 'counts.errors' || path === 'counts.invalid') return 'lower';
  if (LOWER_IS_BETTER.includes(path)) return 'lower';
  if (path.startsWith('cost.')) return 'lower';
  return 'higher';
}

/** How a metric's value is read: a 0..1 rate, milliseconds, tokens, money, a count or a plain number. */
export function metricKind(path: string): MetricKind {
  if (
    path.startsWith('counts.') ||
    path.endsWith('.support') ||
    DESCRIPTIVE_COUNTS.some((end) => path.endsWith(end)) ||
    LOWER_IS_BETTER.includes(path) ||
    path === 'followups.answered'
  )
    return 'count';
  if (path.startsWith('cost.latencyMs.') || path.startsWith('cost.perAgentLatencyMs.')) return 'ms';
  if (path.startsWith('cost.') && path.endsWith('TokensPerCase')) return 'tokens';
  if (path === 'cost.tokensPerCase') return 'tokens';
  if (path === 'cost.costPerCase') return 'cost';
  if (path === 'rootCause.whyDepthMean') return 'number';
  return 'rate';
}

/** Formats a metric's value by its kind; the currency is used for money. */
export function formatMetricValue(path: string, value: number | null, currency = ''): string {
  switch (metricKind(path)) {
    case 'rate':
      return formatRate(value);
    case 'ms':
      return formatMs(value);
    case 'tokens':
      return formatTokens(value);
    case 'cost':
      return formatCost(value, currency).trimEnd();
    case 'count':
      return formatNumber(value, 0);
    case 'number':
      return formatNumber(value, 2);
  }
}

/** Formats a metric's change with an explicit + or - sign: rates in percentage points, others in their unit. */
export function formatMetricDelta(path: string, delta: number | null, currency = ''): string {
  if (delta === null || !Number.isFinite(delta)) return 'n/a';
  const sign = delta < 0 ? '-' : '+';
  const size = Math.abs(delta);
  switch (metricKind(path)) {
    case 'rate':
      return `${sign}${(size * 100).toFixed(1)} pp`;
    case 'ms':
      return `${sign}${Math.round(size)} ms`;
    case 'tokens':
    case 'count':
      return `${sign}${Math.round(size)}`;
    case 'cost':
      return `${sign}${size.toFixed(4)}${currency === '' ? '' : ` ${currency}`}`;
    case 'number':
      return `${sign}${size.toFixed(2)}`;
  }
}
