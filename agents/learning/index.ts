import {
  readCorpusExamples,
  readTrainingReports,
  type TrainingExample,
} from '../models/offline/classifier/training-data.ts';

export {
  createLearningLoop,
  type LearningLogger,
  type LearningLoop,
  type LearningLoopDependencies,
  type LearningStatus,
} from './learning-loop.ts';
export { pastDefectRecord, type PastDefectRecordResult } from './past-defect-record.ts';
export { createInProcessRetrainer, retrainClassifier, type Retrainer } from './retrain.ts';
export { reviewedTrainingExamples } from './training-examples.ts';
export { createWorkerRetrainer } from './worker-retrainer.ts';

/**
 * The examples the committed classifier was trained on (`npm run train:classifier`): the training
 * reports and the corpus's past defects. The learning loop retrains on these plus the confirmed cases.
 */
export async function readBaseTrainingExamples({
  corpusDir,
}: {
  corpusDir: string;
}): Promise<TrainingExample[]> {
  return [...(await readTrainingReports()), ...(await readCorpusExamples(corpusDir))];
}
