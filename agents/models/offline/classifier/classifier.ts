import { AsyncLocalStorage } from 'node:async_hooks';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  Category6M,
  CONCRETE_DEFECT_TYPES,
  ConfigError,
  PRODUCTION_STAGES,
  type InspectionReport,
} from '../../../../domain/index.ts';
import { readReportFacts } from '../../../report-facts/report-facts.ts';
import type { ReportFacts } from '../../../report-facts/schema.ts';
import { causeFeatures, extractFeatures, type Features } from './features.ts';
import {
  calibrated,
  fitCalibration,
  fitHead,
  LinearHead,
  probabilities,
  type FitOptions,
  type HeadExample,
} from './linear-model.ts';
import type { TrainingExample } from './training-data.ts';

/** The classes of the type head: the 12 concrete types and `none` (a conforming report). */
export const TYPE_CLASSES = [...CONCRETE_DEFECT_TYPES, 'none'] as const;

/** The trained classifier of the offline model: three heads over the same features. */
export const ClassifierModel = z.object({
  version: z.literal(1),
  trained_on: z.object({ examples: z.number().int(), digest: z.string() }),
  cross_validation: z.record(z.string(), z.number()),
  types: LinearHead,
  stage: LinearHead,
  category: LinearHead,
});
export type ClassifierModel = z.infer<typeof ClassifierModel>;

/** The file of the trained model, written by `npm run train:classifier`. */
export const MODEL_FILE = new URL('./model.json', import.meta.url);

let loaded: ClassifierModel | undefined;

/** The committed trained model, read and validated once. */
export function loadClassifierModel(): ClassifierModel {
  if (!loaded) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(MODEL_FILE, 'utf8'));
    } catch (cause) {
      throw new ConfigError(
        `cannot read the offline classifier at ${MODEL_FILE.pathname}; run npm run train:classifier`,
        { cause },
      );
    }
    const parsed = ClassifierModel.safeParse(raw);
    if (!parsed.success)
      throw new ConfigError(
        `the offline classifier at ${MODEL_FILE.pathname} is not valid; run npm run train:classifier`,
        { cause: parsed.error },
      );
    loaded = parsed.data;
  }
  return loaded;
}

/**
 * Where the offline model gets its classifier: the committed model by default, or one the
 * learning loop retrained on confirmed reviews. `current()` is read once per model call.
 */
export interface ClassifierSource {
  current(): ClassifierModel;
}

/** The committed model (`model.json`), trained on the committed data only. */
export const committedClassifierSource: ClassifierSource = { current: () => loadClassifierModel() };

/** A classifier source whose model can be replaced while the service runs. */
export interface ReplaceableClassifierSource extends ClassifierSource {
  replace(params: { model: ClassifierModel }): void;
}

/** A classifier source that starts with `initial` (the committed model by default) and can be replaced. */
export function createReplaceableClassifierSource({
  initial,
}: { initial?: ClassifierModel } = {}): ReplaceableClassifierSource {
  let model = initial;
  return {
    current: () => (model ??= loadClassifierModel()),
    replace({ model: next }) {
      model = next;
    },
  };
}

const classifierInScope = new AsyncLocalStorage<ClassifierModel>();

/**
 * Runs `body` with `model` as the default of {@link classifyReport}: the offline model runs each
 * skill step inside it, so that every prediction of one step uses the model its source gave.
 */
export function withClassifierModel<T>({ model, body }: { model: ClassifierModel; body: () => T }): T {
  return classifierInScope.run(model, body);
}

/** The model of the enclosing {@link withClassifierModel}, else the committed one. */
export function classifierModelInScope(): ClassifierModel {
  return classifierInScope.getStore() ?? loadClassifierModel();
}

/** A ranked prediction of one head. */
export interface RankedClass<Name extends string = string> {
  name: Name;
  probability: number;
}

/** What the classifier predicts for a report. */
export interface ClassifierPrediction {
  /** Types by probability (independent per type: a report can carry two defects). */
  types: RankedClass[];
  /** The calibrated confidence that the top type is right. */
  typeConfidence: number;
  stages: RankedClass[];
  stageConfidence: number;
  categories: RankedClass[];
  categoryConfidence: number;
}

/**
 * The share of the top class in a head's probabilities: for a one-vs-rest head the top
 * probability over their sum (how clearly one type stands out), for a softmax the top probability.
 */
export function topShare(values: readonly number[]): number {
  const sum = values.reduce((total, value) => total + value, 0);
  return sum > 0 ? Math.max(...values) / sum : 0;
}

function ranked(head: LinearHead, features: Features): RankedClass[] {
  return probabilities(head, features)
    .map((probability, index) => ({ name: head.classes[index] ?? '', probability }))
    .sort((left, right) => right.probability - left.probability);
}

function categoryInput(report: InspectionReport, facts: ReportFacts): Features {
  const features = extractFeatures(report, facts);
  for (const [name, value] of causeFeatures(facts)) features.set(name, value);
  return features;
}

/** Predictions by the facts object they were made from (the facts of one report are read once and shared). */
const recentPredictions = new WeakMap<
  ReportFacts,
  { model: ClassifierModel; prediction: ClassifierPrediction }
>();

/**
 * Classifies a report with a trained model: by default the one in scope of
 * {@link withClassifierModel}, else the committed one.
 */
export function classifyReport({
  report,
  facts = readReportFacts(report),
  model = classifierModelInScope(),
}: {
  report: InspectionReport;
  facts?: ReportFacts;
  model?: ClassifierModel;
}): ClassifierPrediction {
  const cached = recentPredictions.get(facts);
  if (cached && cached.model === model) return cached.prediction;
  const features = extractFeatures(report, facts);
  const types = ranked(model.types, features);
  const stages = ranked(model.stage, features);
  const categories = ranked(model.category, categoryInput(report, facts));
  const prediction: ClassifierPrediction = {
    types,
    typeConfidence: calibrated(
      model.types,
      topShare(types.map((entry) => entry.probability)),
      types[0]?.probability ?? 0,
    ),
    stages,
    stageConfidence: calibrated(model.stage, stages[0]?.probability ?? 0),
    categories,
    categoryConfidence: calibrated(model.category, categories[0]?.probability ?? 0),
  };
  recentPredictions.set(facts, { model, prediction });
  return prediction;
}

/** The default options of the fit. */
export const DEFAULT_FIT_OPTIONS: FitOptions = { epochs: 60, learningRate: 2, l2: 1e-5, seed: 7 };

interface PreparedExample {
  example: TrainingExample;
  features: Features;
  causeFeatures: Features;
}

function prepare(example: TrainingExample): PreparedExample {
  const report: InspectionReport = {
    description: example.text,
    ...(example.product_sku ? { product_sku: example.product_sku } : {}),
  };
  const facts = readReportFacts(report);
  return { example, features: extractFeatures(report, facts), causeFeatures: categoryInput(report, facts) };
}

function typeExamples(prepared: readonly PreparedExample[]): HeadExample[] {
  return prepared
    .filter((item) => !item.example.cause_only)
    .map((item) => ({
      features: item.features,
      labels: item.example.types.flatMap((type) => {
        const index = (TYPE_CLASSES as readonly string[]).indexOf(type);
        return index >= 0 ? [index] : [];
      }),
    }));
}

function stageExamples(prepared: readonly PreparedExample[]): HeadExample[] {
  return prepared
    .filter((item) => item.example.stage !== null && !item.example.cause_only)
    .map((item) => ({ features: item.features, labels: [PRODUCTION_STAGES.indexOf(item.example.stage!)] }));
}

function categoryExamples(prepared: readonly PreparedExample[]): HeadExample[] {
  return prepared
    .filter((item) => item.example.category_6m !== null)
    .map((item) => ({
      features: item.causeFeatures,
      labels: [Category6M.options.indexOf(item.example.category_6m!)],
    }));
}

function fitAll(
  prepared: readonly PreparedExample[],
  options: FitOptions,
): Pick<ClassifierModel, 'types' | 'stage' | 'category'> {
  return {
    types: fitHead({ kind: 'one_vs_rest', classes: TYPE_CLASSES, examples: typeExamples(prepared), options }),
    stage: fitHead({
      kind: 'softmax',
      classes: PRODUCTION_STAGES,
      examples: stageExamples(prepared),
      options,
    }),
    category: fitHead({
      kind: 'softmax',
      classes: Category6M.options,
      examples: categoryExamples(prepared),
      options,
    }),
  };
}

function topIndex(values: readonly number[]): number {
  let best = 0;
  values.forEach((value, index) => {
    if (value > (values[best] ?? -Infinity)) best = index;
  });
  return best;
}

/**
 * Trains the classifier: k-fold cross-validation on the training examples (out-of-fold accuracy
 * per head, and the pairs that fit each head's calibration), then a fit on all of them.
 */
export function trainClassifier({
  examples,
  digest,
  options = DEFAULT_FIT_OPTIONS,
  folds = 5,
  onProgress,
}: {
  examples: readonly TrainingExample[];
  digest: string;
  options?: FitOptions;
  folds?: number;
  onProgress?: (step: string) => void;
}): ClassifierModel {
  const prepared = examples.map(prepare);
  onProgress?.('features');
  const pairs = {
    types: [] as Array<{ share: number; top: number; correct: boolean }>,
    stage: [] as Array<{ share: number; top: number; correct: boolean }>,
    category: [] as Array<{ share: number; top: number; correct: boolean }>,
  };
  for (let fold = 0; fold < folds; fold += 1) {
    const train = prepared.filter((_, index) => index % folds !== fold);
    const test = prepared.filter((_, index) => index % folds === fold);
    const heads = fitAll(train, options);
    for (const [name, head, rows] of [
      ['types', heads.types, typeExamples(test)],
      ['stage', heads.stage, stageExamples(test)],
      ['category', heads.category, categoryExamples(test)],
    ] as const) {
      for (const row of rows) {
        const probability = probabilities(head, row.features);
        const top = topIndex(probability);
        pairs[name].push({
          share: head.kind === 'one_vs_rest' ? topShare(probability) : (probability[top] ?? 0),
          top: probability[top] ?? 0,
          correct: row.labels.includes(top),
        });
      }
    }
    onProgress?.(`fold ${fold + 1} of ${folds}`);
  }
  const heads = fitAll(prepared, options);
  onProgress?.('final fit');
  const accuracy = (list: ReadonlyArray<{ correct: boolean }>): number =>
    Math.round((list.filter((pair) => pair.correct).length / Math.max(1, list.length)) * 1000) / 1000;
  return {
    version: 1,
    trained_on: { examples: examples.length, digest },
    cross_validation: {
      folds,
      type_top1_accuracy: accuracy(pairs.types),
      stage_accuracy: accuracy(pairs.stage),
      category_accuracy: accuracy(pairs.category),
    },
    types: { ...heads.types, calibration: fitCalibration(pairs.types) },
    stage: { ...heads.stage, calibration: fitCalibration(pairs.stage) },
    category: { ...heads.category, calibration: fitCalibration(pairs.category) },
  };
}
