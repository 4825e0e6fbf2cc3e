import type { Metrics } from '../result.ts';
import { flattenMetrics } from './metric-paths.ts';

/** A minimum a metric must reach. */
export interface Threshold {
  /** Dotted metric path, as in compareRuns, e.g. "classification.typeAccuracy". */
  metric: string;
  min: number;
}

/** The outcome of one threshold on a run's metrics. */
export interface ThresholdResult extends Threshold {
  actual: number | null;
  passed: boolean;
}

const METRIC_PATH = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/**
 * Parses "metric=value" arguments into thresholds. The value is a number, or a percentage such as
 * "90%" (read as 0.9). Throws an Error naming the first malformed argument.
 */
export function parseThresholds(args: string[]): Threshold[] {
  return args.map((arg) => {
    const fail = (reason: string): never => {
      throw new Error(
        `Invalid threshold "${arg}": ${reason} (expected metric=value, e.g. classification.typeAccuracy=90%)`,
      );
    };
    const separator = arg.indexOf('=');
    if (separator < 0) return fail('missing "="');
    const metric = arg.slice(0, separator).trim();
    const raw = arg.slice(separator + 1).trim();
    if (!METRIC_PATH.test(metric)) return fail('the metric is not a dotted path');
    const percent = raw.endsWith('%');
    const digits = percent ? raw.slice(0, -1).trim() : raw;
    if (!NUMBER.test(digits)) return fail('the value is not a number');
    const value = Number(digits);
    if (!Number.isFinite(value)) return fail('the value is not a finite number');
    return { metric, min: percent ? value / 100 : value };
  });
}

/**
 * Checks thresholds against a run's metrics: a threshold passes when the metric is at least its minimum;
 * a null metric fails. Throws an Error naming a metric path that the metrics do not have.
 */
export function checkThresholds({
  metrics,
  thresholds,
}: {
  metrics: Metrics;
  thresholds: Threshold[];
}): ThresholdResult[] {
  const flat = flattenMetrics(metrics);
  return thresholds.map(({ metric, min }) => {
    if (!flat.has(metric)) throw new Error(`Unknown metric "${metric}" in thresholds`);
    const actual = flat.get(metric) ?? null;
    return { metric, min, actual, passed: actual !== null && actual >= min };
  });
}
