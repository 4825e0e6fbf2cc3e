import { trainClassifier, type ClassifierModel } from '../models/offline/classifier/classifier.ts';
import type { TrainingExample } from '../models/offline/classifier/training-data.ts';

/** The calibration of each head, taken from a model fitted with cross-validation. */
export type HeadCalibrations = Record<
  'types' | 'stage' | 'category',
  ClassifierModel['types']['calibration']
>;

/** What one retraining needs: every example, their digest, and the calibrations to keep. */
export interface RetrainRequest {
  examples: readonly TrainingExample[];
  digest: string;
  calibrations: HeadCalibrations;
}

/** The calibrations of a model's heads. */
export function calibrationsOf(model: ClassifierModel): HeadCalibrations {
  return {
    types: model.types.calibration,
    stage: model.stage.calibration,
    category: model.category.calibration,
  };
}

/**
 * Fits the classifier on all examples without cross-validation (a few seconds instead of half a
 * minute), keeping the calibrations of the committed model: they map the heads' scores to the
 * confidences the domain rules' thresholds were set against, and a few more examples do not move
 * them much. `cross_validation` records `folds: 0`.
 */
export function retrainClassifier({ examples, digest, calibrations }: RetrainRequest): ClassifierModel {
  const model = trainClassifier({ examples, digest, folds: 0 });
  return {
    ...model,
    cross_validation: { folds: 0 },
    types: { ...model.types, calibration: calibrations.types },
    stage: { ...model.stage, calibration: calibrations.stage },
    category: { ...model.category, calibration: calibrations.category },
  };
}

/** Runs a retraining somewhere: in a worker thread, or in this thread (tests, fallback). */
export interface Retrainer {
  retrain(request: RetrainRequest): Promise<ClassifierModel>;
  /** Stops the worker, if any. */
  close(): Promise<void>;
}

/** A retrainer that fits in this thread: it blocks the event loop for the whole fit. */
export function createInProcessRetrainer(): Retrainer {
  return {
    retrain: async (request) => retrainClassifier(request),
    close: async () => undefined,
  };
}
