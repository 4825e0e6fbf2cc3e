/**
 * The worker thread of {@link createWorkerRetrainer}: fits the classifier for each request it
 * receives and posts the model back, so that fitting never blocks the service's event loop.
 */
import { parentPort } from 'node:worker_threads';
import { retrainClassifier, type RetrainRequest } from './retrain.ts';

parentPort?.on('message', (message: { id: number; request: RetrainRequest }) => {
  try {
    parentPort?.postMessage({ id: message.id, model: retrainClassifier(message.request) });
  } catch (error) {
    parentPort?.postMessage({
      id: message.id,
      error:
        error instanceof Error ? { message: error.message, stack: error.stack } : { message: String(error) },
    });
  }
});
