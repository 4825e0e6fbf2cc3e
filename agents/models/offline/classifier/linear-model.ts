import { z } from 'zod';
import type { Features } from './features.ts';

/** One head of the classifier: weights per feature and class, and a bias per class. */
export const LinearHead = z.object({
  kind: z.enum(['one_vs_rest', 'softmax']),
  classes: z.array(z.string()).min(2),
  bias: z.array(z.number()),
  /** Feature name → weights, one per class. */
  weights: z.record(z.string(), z.array(z.number())),
  /**
   * Calibration of the top class: calibrated = sigmoid(slope · logit(share) + top_slope ·
   * logit(top) + intercept), where `share` is how clearly the top class stands out and `top` its
   * probability.
   */
  calibration: z.object({ slope: z.number(), intercept: z.number(), top_slope: z.number().default(0) }),
});
export type LinearHead = z.infer<typeof LinearHead>;

/** A labelled example of a head: its features and the indexes of its classes. */
export interface HeadExample {
  features: Features;
  labels: number[];
}

/** Options of the fit: epochs, learning rate and L2 penalty. */
export interface FitOptions {
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
}

function sigmoid(value: number): number {
  return 1 / (1 + Math.exp(-value));
}

function normalized(features: Features): Array<[string, number]> {
  let norm = 0;
  for (const value of features.values()) norm += value * value;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 1;
  return [...features.entries()].map(([name, value]) => [name, value * scale]);
}

/** A deterministic pseudo-random generator (mulberry32), so that a fit is reproducible. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** The raw scores of a head (one per class) for some features. */
export function scores(head: LinearHead, features: Features): number[] {
  const result = [...head.bias];
  for (const [name, value] of normalized(features)) {
    const weights = head.weights[name];
    if (!weights) continue;
    for (let index = 0; index < result.length; index += 1) result[index]! += (weights[index] ?? 0) * value;
  }
  return result;
}

/** Class probabilities of a head: independent sigmoids (one-vs-rest) or a softmax. */
export function probabilities(head: LinearHead, features: Features): number[] {
  const raw = scores(head, features);
  if (head.kind === 'one_vs_rest') return raw.map(sigmoid);
  const top = Math.max(...raw);
  const exponentials = raw.map((value) => Math.exp(value - top));
  const sum = exponentials.reduce((total, value) => total + value, 0);
  return exponentials.map((value) => value / sum);
}

function logit(probability: number): number {
  const clipped = Math.min(1 - 1e-6, Math.max(1e-6, probability));
  return Math.log(clipped / (1 - clipped));
}

/** The calibrated confidence of a head's top class, from its share and its probability. */
export function calibrated(head: LinearHead, share: number, top: number = share): number {
  const { slope, intercept, top_slope: topSlope } = head.calibration;
  return sigmoid(slope * logit(share) + topSlope * logit(top) + intercept);
}

/**
 * Fits a linear head by stochastic gradient descent with an L2 penalty: logistic loss per class
 * (one-vs-rest, multi-label) or cross-entropy (softmax). Features seen in fewer than
 * `minimumCount` examples are left out.
 */
export function fitHead({
  kind,
  classes,
  examples,
  options,
  minimumCount = 2,
}: {
  kind: LinearHead['kind'];
  classes: readonly string[];
  examples: readonly HeadExample[];
  options: FitOptions;
  minimumCount?: number;
}): LinearHead {
  const counts = new Map<string, number>();
  for (const example of examples)
    for (const name of example.features.keys()) counts.set(name, (counts.get(name) ?? 0) + 1);
  const vocabulary = [...counts.entries()]
    .filter(([, count]) => count >= minimumCount)
    .map(([name]) => name)
    .sort();
  const index = new Map(vocabulary.map((name, position) => [name, position]));
  const size = classes.length;
  const weights = new Float64Array(vocabulary.length * size);
  const bias = new Float64Array(size);
  const rows = examples.map((example) => ({
    features: normalized(example.features).flatMap(([name, value]) => {
      const position = index.get(name);
      return position === undefined ? [] : [[position, value] as const];
    }),
    labels: example.labels,
  }));
  const next = random(options.seed);
  const order = rows.map((_, position) => position);
  let step = 0;
  for (let epoch = 0; epoch < options.epochs; epoch += 1) {
    for (let position = order.length - 1; position > 0; position -= 1) {
      const other = Math.floor(next() * (position + 1));
      [order[position], order[other]] = [order[other]!, order[position]!];
    }
    for (const rowIndex of order) {
      const row = rows[rowIndex]!;
      step += 1;
      const rate = options.learningRate / (1 + step / (rows.length * 4));
      const raw = Array.from(bias);
      for (const [feature, value] of row.features)
        for (let label = 0; label < size; label += 1) raw[label]! += weights[feature * size + label]! * value;
      let gradients: number[];
      if (kind === 'one_vs_rest') {
        gradients = raw.map((value, label) => sigmoid(value) - (row.labels.includes(label) ? 1 : 0));
      } else {
        const top = Math.max(...raw);
        const exponentials = raw.map((value) => Math.exp(value - top));
        const sum = exponentials.reduce((total, value) => total + value, 0);
        gradients = exponentials.map((value, label) => value / sum - (row.labels[0] === label ? 1 : 0));
      }
      for (let label = 0; label < size; label += 1) bias[label]! -= rate * gradients[label]!;
      for (const [feature, value] of row.features)
        for (let label = 0; label < size; label += 1) {
          const at = feature * size + label;
          weights[at]! -= rate * (gradients[label]! * value + options.l2 * weights[at]!);
        }
    }
  }
  const record: Record<string, number[]> = {};
  vocabulary.forEach((name, position) => {
    const row = Array.from(weights.subarray(position * size, position * size + size)).map(
      (value) => Math.round(value * 1e4) / 1e4,
    );
    if (row.some((value) => value !== 0)) record[name] = row;
  });
  return {
    kind,
    classes: [...classes],
    bias: Array.from(bias).map((value) => Math.round(value * 1e3) / 1e3),
    weights: record,
    calibration: { slope: 1, intercept: 0, top_slope: 0 },
  };
}

/**
 * Fits the Platt calibration of the top class from out-of-fold predictions: its share, its
 * probability, and whether it was right.
 */
export function fitCalibration(
  pairs: ReadonlyArray<{ share: number; top: number; correct: boolean }>,
): LinearHead['calibration'] {
  let slope = 1;
  let topSlope = 0;
  let intercept = 0;
  const rows = pairs.map((pair) => ({
    share: logit(pair.share),
    top: logit(pair.top),
    target: pair.correct ? 1 : 0,
  }));
  for (let iteration = 0; iteration < 3000; iteration += 1) {
    let gradientSlope = 0;
    let gradientTop = 0;
    let gradientIntercept = 0;
    for (const row of rows) {
      const error = sigmoid(slope * row.share + topSlope * row.top + intercept) - row.target;
      gradientSlope += error * row.share;
      gradientTop += error * row.top;
      gradientIntercept += error;
    }
    const scale = 0.3 / Math.max(1, rows.length);
    slope -= scale * gradientSlope;
    topSlope -= scale * gradientTop;
    intercept -= scale * gradientIntercept;
  }
  const round = (value: number): number => Math.round(value * 1e4) / 1e4;
  return { slope: round(slope), intercept: round(intercept), top_slope: round(topSlope) };
}
