import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { loadConfig } from '../../domain/index.ts';
import { MODEL_FILE, trainClassifier, DEFAULT_FIT_OPTIONS } from '../models/offline/classifier/classifier.ts';
import {
  readCorpusExamples,
  readTrainingReports,
  trainingDigest,
} from '../models/offline/classifier/training-data.ts';

const USAGE = `Usage: npm run train:classifier -- [--check] [--folds <n>]

Trains the offline model's classifier (types, stage, 6M category) on the training reports in
agents/models/offline/training/data/*.jsonl and the corpus's past defects, never on an evaluation
set, and writes agents/models/offline/classifier/model.json with its cross-validated accuracy.
  --check      only tell whether the committed model was trained on the current data (exit 1 if not)
  --folds <n>  cross-validation folds (default 5)`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { check: { type: 'boolean' }, folds: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig();
  const examples = [...(await readTrainingReports()), ...(await readCorpusExamples(config.corpusDir))];
  const digest = trainingDigest(examples);
  if (values.check) {
    const { loadClassifierModel } = await import('../models/offline/classifier/classifier.ts');
    const current = loadClassifierModel().trained_on.digest;
    console.log(
      current === digest
        ? `model is current (${digest})`
        : `model is stale: trained on ${current}, data is ${digest}`,
    );
    return current === digest ? 0 : 1;
  }
  const folds = Number(values.folds ?? 5);
  if (!Number.isInteger(folds) || folds < 2)
    throw new Error(`--folds must be an integer of at least 2, got ${values.folds}`);
  const bar = new cliProgress.SingleBar(
    { format: 'training [{bar}] {value}/{total} {step}' },
    cliProgress.Presets.shades_classic,
  );
  bar.start(folds + 2, 0, { step: 'features' });
  const model = trainClassifier({
    examples,
    digest,
    folds,
    options: DEFAULT_FIT_OPTIONS,
    onProgress: (step) => bar.increment({ step }),
  });
  bar.stop();
  await writeFile(MODEL_FILE, `${JSON.stringify(model)}\n`);
  console.log(
    `trained on ${examples.length} examples (${digest}); cross-validated: type ${model.cross_validation.type_top1_accuracy}, stage ${model.cross_validation.stage_accuracy}, 6M ${model.cross_validation.category_accuracy}; features ${Object.keys(model.types.weights).length}`,
  );
  console.log(`wrote ${MODEL_FILE.pathname}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
