import { Worker } from 'node:worker_threads';
import { ClassifierModel } from '../models/offline/classifier/classifier.ts';
import type { Retrainer, RetrainRequest } from './retrain.ts';

type WorkerReply =
  { id: number; model: unknown } | { id: number; error: { message: string; stack?: string } };

/**
 * Starts the worker script beside this module, with this module's extension. Compiled (`.js`)
 * it is started as it is. From source (`.ts`: `tsx`, `node --import tsx`, vitest) a small module
 * (`retrain-worker-from-source.mjs`) registers tsx's loader in the worker, then imports the script: on Node 20 a
 * worker does not run the `--import` hooks of the main thread, and a test runner's transform does
 * not reach it either.
 */
function startWorkerScript(): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const script = new URL(fromSource ? './retrain-worker.ts' : './retrain-worker.js', import.meta.url);
  return new Worker(fromSource ? new URL('./retrain-worker-from-source.mjs', import.meta.url) : script);
}

/**
 * A retrainer that fits in a `node:worker_threads` worker, started on first use and kept for the
 * next retraining. One request runs at a time; a crashed worker fails its request and is
 * replaced on the next one. The model is validated on its way back.
 */
export function createWorkerRetrainer(): Retrainer {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<
    number,
    { resolve: (model: ClassifierModel) => void; reject: (error: Error) => void }
  >();

  function failAll(error: Error): void {
    for (const entry of pending.values()) entry.reject(error);
    pending.clear();
  }

  function start(): Worker {
    const created = startWorkerScript();
    created.unref();
    created.on('message', (reply: WorkerReply) => {
      const entry = pending.get(reply.id);
      if (!entry) return;
      pending.delete(reply.id);
      if ('error' in reply) {
        const error = new Error(`retraining failed in the worker: ${reply.error.message}`);
        if (reply.error.stack) error.stack = reply.error.stack;
        entry.reject(error);
        return;
      }
      const parsed = ClassifierModel.safeParse(reply.model);
      if (parsed.success) entry.resolve(parsed.data);
      else entry.reject(new Error('the worker returned an invalid classifier', { cause: parsed.error }));
    });
    created.on('error', (error) => {
      worker = null;
      failAll(new Error('the retraining worker failed', { cause: error }));
    });
    created.on('exit', (code) => {
      if (worker === created) worker = null;
      failAll(new Error(`the retraining worker exited with code ${code}`));
    });
    return created;
  }

  return {
    retrain(request: RetrainRequest): Promise<ClassifierModel> {
      worker ??= start();
      const id = nextId;
      nextId += 1;
      const current = worker;
      return new Promise<ClassifierModel>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        current.ref();
        current.postMessage({ id, request });
      }).finally(() => {
        if (pending.size === 0) current.unref();
      });
    },
    async close() {
      const current = worker;
      worker = null;
      if (current) await current.terminate();
    },
  };
}
