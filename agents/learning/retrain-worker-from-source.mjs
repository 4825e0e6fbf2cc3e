// Starts the retraining worker from TypeScript source: a worker thread on Node 20 runs neither the
// main thread's `--import tsx` hooks nor a test runner's transform, so it registers tsx itself.
import { register } from 'tsx/esm/api';

register();
await import('./retrain-worker.ts');
