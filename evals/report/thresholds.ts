import type { Metrics } from '../result.ts';
import { flattenMetrics } from './metric-paths.ts';

/** A bound a metric must respect: at least `min`, or at most `max` when `comparison` is `max`. */
export interface Threshold {
  /**
   * The evaluation set it addresses (`heldout`, `development`, ...), or null for the default set:
   * the only set of the run, else `development`.
   */
  set: string | null;
  /** Dotted metric path, as in compareRuns, e.g. "classification.typeAccuracy". */
  metric: string;
  /** `min`: the metric must be at least `value`; `max`: at most `value`. */
  comparison: 'min' | 'max';
  value: number;
}

/** The outcome of one threshold on a run's metrics. */
export interface ThresholdResult extends Threshold {
  actual: number | null;
  passed: boolean;
}

const SET_NAME = /^[A-Za-z0-9_-]+$/;
const METRIC_PATH = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/**
 * Parses threshold arguments: `[set:]metric=value`, `[set:]metric>=value` (both a minimum) or
 * `[set:]metric<=value` (a maximum). `comparison` says how `metric=value` is read: `min` for
 * `--min`, `max` for `--max`. The value is a number, or a percentage such as "90%" (read as 0.9).
 * Throws an Error naming the first malformed argument.
 */
export function parseThresholds(args: readonly string[], comparison: 'min' | 'max' = 'min'): Threshold[] {
  return args.map((arg) => {
    const fail = (reason: string): never => {
      throw new Error(
        `Invalid threshold "${arg}": ${reason} (expected [set:]metric=value, metric>=value or metric<=value, e.g. heldout:classification.typeAccuracy=90%)`,
      );
    };
    const operator = /<=|>=|=/.exec(arg);
    if (operator === null) return fail('missing "=", ">=" or "<="');
    const left = arg.slice(0, operator.index).trim();
    const raw = arg.slice(operator.index + operator[0].length).trim();
    const colon = left.indexOf(':');
    const set = colon < 0 ? null : left.slice(0, colon).trim();
    const metric = colon < 0 ? left : left.slice(colon + 1).trim();
    if (set !== null && !SET_NAME.test(set)) return fail('the set name is not a word');
    if (!METRIC_PATH.test(metric)) return fail('the metric is not a dotted path');
    const percent = raw.endsWith('%');
    const digits = percent ? raw.slice(0, -1).trim() : raw;
    if (!NUMBER.test(digits)) return fail('the value is not a number');
    const value = Number(digits);
    if (!Number.isFinite(value)) return fail('the value is not a finite number');
    const bound = operator[0] === '<=' ? 'max' : operator[0] === '>=' ? 'min' : comparison;
    return { set, metric, comparison: bound, value: percent ? value / 100 : value };
  });
}

/**
 * Checks thresholds against one set's metrics: a minimum passes when the metric is at least its
 * value, a maximum when it is at most its value; a null metric fails. Throws an Error naming a
 * metric path that the metrics do not have.
 */
export function checkThresholds({
  metrics,
  thresholds,
}: {
  metrics: Metrics;
  thresholds: readonly Threshold[];
}): ThresholdResult[] {
  const flat = flattenMetrics(metrics);
  return thresholds.map((threshold) => {
    if (!flat.has(threshold.metric)) throw new Error(`Unknown metric "${threshold.metric}" in thresholds`);
    const actual = flat.get(threshold.metric) ?? null;
    const passed =
      actual !== null &&
      (threshold.comparison === 'min' ? actual >= threshold.value : actual <= threshold.value);
    return { ...threshold, actual, passed };
  });
}

/** The name of the set a threshold addresses when it names none: the only set, else `development`. */
export function defaultSetName(setNames: readonly string[]): string {
  return setNames.length === 1 ? (setNames[0] ?? 'development') : 'development';
}

/**
 * Checks thresholds against several sets' metrics (keyed by set key). A threshold for a set that
 * did not run fails with a null actual value, so a gate on a missing held-out file does not pass
 * silently. Set keys and aliases are matched without case (`heldout` and `held-out` are the same).
 */
export function checkSetThresholds({
  metricsBySet,
  thresholds,
}: {
  metricsBySet: ReadonlyMap<string, Metrics>;
  thresholds: readonly Threshold[];
}): ThresholdResult[] {
  const key = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');
  const byKey = new Map([...metricsBySet].map(([name, metrics]) => [key(name), { name, metrics }]));
  const fallback = defaultSetName([...metricsBySet.keys()]);
  return thresholds.map((threshold) => {
    const setName = threshold.set ?? fallback;
    const entry = byKey.get(key(setName));
    if (!entry) return { ...threshold, set: setName, actual: null, passed: false };
    const [result] = checkThresholds({ metrics: entry.metrics, thresholds: [threshold] });
    if (!result) throw new Error(`no result for threshold ${threshold.metric}`);
    return { ...result, set: entry.name };
  });
}
